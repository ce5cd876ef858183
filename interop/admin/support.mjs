// Helpers of the Admin UI scripts: the official UI's built files (@socket.io/admin-ui ui/dist)
// served from a tiny static server on ADMIN_UI_PORT, opened in the system's headless Chromium.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { io } from "socket.io-client";

const require = createRequire(import.meta.url);
export const UI_DIST = path.join(path.dirname(require.resolve("@socket.io/admin-ui/package.json")), "ui", "dist");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml",
  ".map": "application/json" };

/** Serves ui/dist on 127.0.0.1:`port`; resolves with the server once listening. */
export function serveUi(port) {
  const server = http.createServer(async (req, res) => {
    const name = decodeURIComponent(new globalThis.URL(req.url, "http://x").pathname);
    const file = path.join(UI_DIST, name === "/" ? "index.html" : name);
    if (!file.startsWith(UI_DIST)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** A page of `browser` whose requests to other hosts (web fonts, icon CDN) fail at once: the test runs offline. */
export async function offlinePage(browser, allowed) {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on("pageerror", (error) => console.error("page error:", error.message));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    return allowed.some((origin) => url.startsWith(origin)) ? route.continue() : route.abort();
  });
  return page;
}

/** Logs in through the UI's connection form; `namespace` is left at the UI's default (/admin). */
export async function logIn(page, serverUrl, username, password) {
  await page.getByLabel("Server URL").fill(serverUrl);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Connect" }).click();
}

/** A socket.io-client on `url` (websocket only), connected. */
export async function client(url, options = {}) {
  const socket = io(url, { forceNew: true, reconnection: false, transports: ["websocket"], ...options });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Resolves with the reason of `socket`'s next disconnect. */
export function disconnected(socket) {
  return new Promise((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
}

/**
 * Whether the PNG `buffer` shows something: drawn in a canvas of `browser`, it has more than a
 * few distinct colours.
 */
export async function distinctColours(browser, buffer) {
  const page = await browser.newPage();
  try {
    await page.setContent(`<img id="shot" src="data:image/png;base64,${buffer.toString("base64")}">`);
    return await page.evaluate(async () => {
      const img = document.getElementById("shot");
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4 * 7) {
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      }
      return colours.size;
    });
  } finally {
    await page.close();
  }
}
