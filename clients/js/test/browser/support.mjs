// The package in headless Chromium (the system's, driven by playwright-core): pages of the server's
// origin that import the package's own sources (served from src/ by the test) and socket.io-client's
// ES module build from the server, as an application's bundle would.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

export const SERVER = process.env.SWITCHBOARD_URL;
export const WAIT_MS = 15_000;
const SRC = new URL("../../src/", import.meta.url);

/** Chromium flags for calls: fake camera and microphone, no permission prompt, autoplay allowed. */
export const MEDIA_ARGS = [
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
];

export async function launchBrowser(extraArgs = []) {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath} (set CHROMIUM)`);
  return chromium.launch({
    executablePath, headless: true, timeout: 30_000,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", ...extraArgs],
  });
}

/**
 * A page of `origin` whose module imports the package as `window.lib`; its errors are collected
 * in `window.errors`. `context` keeps storage (IndexedDB) across pages and reloads when given.
 */
export async function packagePage(browser, { origin = SERVER, context } = {}) {
  const ctx = context ?? await browser.newContext();
  const page = await ctx.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on("pageerror", (error) => console.error("page error:", error.message));
  await page.route(`${origin}/pkg/**`, async (route) => {
    const name = new URL(route.request().url()).pathname.slice("/pkg/".length);
    if (!/^[a-z-]+\.js$/.test(name)) return route.fulfill({ status: 404 });
    route.fulfill({ status: 200, contentType: "text/javascript", body: await readFile(new URL(name, SRC), "utf8") });
  });
  // a document of the server itself (a routed one would count as another address space and lose its WebSocket)
  await page.goto(`${origin}/healthz`);
  await loadApp(page);
  return page;
}

/** Reloads the page (a new document and JavaScript realm; storage stays) and loads the package again. */
export async function reloadPackagePage(page) {
  await page.reload();
  await loadApp(page);
}

/** Loads the app document (the package as `window.lib`) into the page's current document. */
export async function loadApp(page) {
  await page.setContent(APP);
  await page.waitForFunction(() => window.lib !== undefined || window.errors.length > 0);
  const errors = await page.evaluate(() => window.errors);
  if (errors.length > 0) throw new Error(`the package failed to load: ${errors.join("; ")}`);
}

const APP = `<!doctype html><title>app</title><link rel="icon" href="data:,">
<script type="importmap">{"imports": {"socket.io-client": "/socket.io/socket.io.esm.min.js"}}</script>
<script>
  window.errors = [];
  addEventListener("error", (e) => errors.push(String(e.message)));
  addEventListener("unhandledrejection", (e) => errors.push(String(e.reason && e.reason.message || e.reason)));
</script>
<script type="module">
  import * as lib from "/pkg/index.js";
  window.lib = lib;
</script>`;

/** Polls `read` until `check(value)` holds; fails with the last value after `ms`. */
export async function until(what, read, check, ms = WAIT_MS, everyMs = 50) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await read();
  }
  return value;
}
