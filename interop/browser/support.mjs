// Shared helpers of the browser scripts: real headless Chromium driven by playwright-core (the
// system's browser, never a downloaded one), a standalone Switchboard server at SWITCHBOARD_URL,
// the official Node socket.io-client as publisher, and a TCP relay that can cut connections.
import net from "node:net";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { io } from "socket.io-client";

export const URL = process.env.SWITCHBOARD_URL;
if (!URL) {
  throw new Error("set SWITCHBOARD_URL to the standalone server's base URL, e.g. http://127.0.0.1:3000");
}

/** How long any single wait may take before the test fails. */
export const WAIT_MS = 10000;

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Launches the system's Chromium (CHROMIUM, or /usr/bin/chromium), with `extraArgs` besides the usual flags. */
export async function launchBrowser(extraArgs = []) {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM`);
  }
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs], timeout: 30000 });
}

/** A new page with bounded waits; page errors fail loudly in the test output. */
export async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on("pageerror", (error) => console.error("page error:", error.message));
  return page;
}

/**
 * A page at `origin` showing an empty document with `follow(url)`, which opens an EventSource
 * and records its events in `window.log` ({type, data, id}), opens and errors.
 */
export async function eventSourcePage(browser, origin, eventNames) {
  const page = await newPage(browser);
  await page.goto(origin + "/healthz");
  await page.setContent(`<!doctype html><title>EventSource</title><script>
    window.log = [];
    window.opens = 0;
    window.errors = 0;
    window.follow = (url) => {
      const source = new EventSource(url);
      source.onopen = () => { window.opens++; };
      source.onerror = () => { window.errors++; };
      for (const type of ${JSON.stringify(eventNames)}) {
        source.addEventListener(type, (e) => {
          window.log.push({ type, data: JSON.parse(e.data), id: e.lastEventId, at: performance.timeOrigin + performance.now() });
        });
      }
      window.source = source;
    };
  </script>`);
  return page;
}

/** A socket.io-client connected to the server; resolves once connected. */
export async function publisher(url = URL) {
  const socket = io(url, { forceNew: true, reconnection: false, timeout: WAIT_MS, transports: ["websocket"] });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Sends a built-in event and checks the acknowledgement says ok. */
export async function call(socket, event, payload) {
  const answer = await socket.timeout(WAIT_MS).emitWithAck(event, payload);
  if (!answer.ok) {
    throw new Error(`${event} refused: ${JSON.stringify(answer.error)}`);
  }
  return answer;
}

/**
 * A TCP relay to the server's port: the browser talks to the server through it, and `cut()`
 * drops every connection it carries, as a network failure or a restarting proxy would.
 */
export async function relay(targetUrl = URL) {
  const target = new globalThis.URL(targetUrl);
  const pairs = new Set();
  let offline = false;
  const server = net.createServer((client) => {
    if (offline) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    /** Drops every open connection; returns how many there were. */
    cut() {
      const count = pairs.size;
      for (const { client, upstream } of [...pairs]) {
        upstream.destroy();
        client.destroy();
      }
      pairs.clear();
      return count;
    },
    /** Cuts every connection and refuses new ones until `online()`: the network is gone. */
    offline() {
      offline = true;
      return this.cut();
    },
    online() {
      offline = false;
    },
    close() {
      this.cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Checks that `page` shows every one of `texts`, then saves a screenshot of it as `name` in `dir`
 * (when given) and checks the picture is not blank: drawn on a canvas, at least 5% of its pixels
 * differ from its most common colour and it has more than a few colours.
 */
export async function screenshot(page, dir, name, texts) {
  const shown = await page.evaluate(() => document.body.innerText);
  for (const text of texts) assert.ok(shown.includes(text), `${name}: the page does not show "${text}":\n${shown}`);
  const png = await page.screenshot({ fullPage: true });
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), png);
  }
  const { colours, otherShare } = await page.evaluate(async (data) => {
    const image = new Image();
    image.src = "data:image/png;base64," + data;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, image.width, image.height).data;
    const counts = new Map();
    for (let i = 0; i < pixels.length; i += 4) {
      const key = (pixels[i] >> 3) << 10 | (pixels[i + 1] >> 3) << 5 | pixels[i + 2] >> 3;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const most = Math.max(...counts.values());
    return { colours: counts.size, otherShare: 1 - most / (pixels.length / 4) };
  }, png.toString("base64"));
  assert.ok(colours > 8 && otherShare > 0.05, `${name} looks blank: ${colours} colours, ${(otherShare * 100).toFixed(1)}% off the background`);
  return png;
}
