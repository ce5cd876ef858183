// The offline queue on Chromium's real IndexedDB (SWITCHBOARD_URL, JWT_SECRET): 100 messages
// queued while offline outlive a reload, and another reload in the middle of sending them; once
// online, a member of the room gets each exactly once, in order, with the ids given when queued.
// Prints what loading the queue costs after a reload, with 100 messages kept and with none.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { SERVER, launchBrowser, loadApp, packagePage, reloadPackagePage, until } from "./support.mjs";
import { token } from "../integration/jwt.mjs";

const COUNT = 100;

describe("the offline queue across reloads in Chromium", { timeout: 120_000 }, () => {
  let browser;
  let observer;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    observer?.disconnect();
    await browser?.close();
  });

  /**
   * Starts the app in the page: connect() without connecting (offline), the queue loaded from
   * IndexedDB. Answers how long connect() to the loaded queue took and how many messages it holds.
   */
  function start(page, jwt) {
    return page.evaluate(async (t) => {
      const began = performance.now();
      window.socket = window.lib.connect(location.origin, { token: t, transports: ["websocket"], autoConnect: false });
      window.duplicates = 0;
      window.socket.queue.on("sent", (entry, answer) => { if (answer.duplicate) window.duplicates++; });
      await window.socket.queue.ready;
      return { loadMs: performance.now() - began, pending: window.socket.pending };
    }, jwt);
  }

  /** Reloads and starts again; answers the start's figures and the whole reload's time as the test sees it. */
  async function reload(page, jwt) {
    const began = performance.now();
    await reloadPackagePage(page);
    const started = await start(page, jwt);
    return { ...started, reloadMs: performance.now() - began };
  }

  it(`${COUNT} messages queued offline: nothing lost, nothing twice, after two reloads`, async () => {
    const room = `reload-${process.pid}`;
    const jwt = token("writer");
    observer = io(SERVER, { forceNew: true, transports: ["websocket"], auth: { token: token("reader") } });
    const got = [];
    observer.on("item", (data, meta) => got.push({ n: data.n, id: meta.id }));
    await new Promise((resolve, reject) => { observer.once("connect", resolve); observer.once("connect_error", reject); });
    assert.equal((await observer.emitWithAck("room:join", { room })).ok, true);

    const context = await browser.newContext();
    const page = await packagePage(browser, { context });
    const empty = await start(page, jwt);
    assert.equal(empty.pending, 0);
    const ids = await page.evaluate(async ({ r, count }) => {
      for (let n = 1; n <= count; n++) window.socket.room(r).publish("item", { n }).catch(() => {});
      await window.socket.queue.saved;
      return window.socket.queue.entries.map((e) => e.id);
    }, { r: room, count: COUNT });
    assert.equal(new Set(ids).size, COUNT);

    const baseline = await reload(await packagePage(browser), jwt);     // another context: an empty database
    const first = await reload(page, jwt);
    assert.equal(first.pending, COUNT, "every queued message outlived the reload");
    assert.deepEqual(await page.evaluate(() => window.socket.queue.entries.map((e) => e.id)), ids);

    // online, and the page reloads itself after the 30th answer, while the next messages are on their way
    const navigated = page.waitForEvent("framenavigated");
    await page.evaluate(() => {
      let answered = 0;
      window.socket.queue.on("sent", () => { if (++answered === 30) location.reload(); });
      window.socket.connect();
    });
    await navigated;
    await page.waitForLoadState();
    await loadApp(page);
    const second = await start(page, jwt);
    assert.ok(second.pending > 0 && second.pending <= COUNT - 30, `reloaded mid-way: ${second.pending} left`);
    await page.evaluate(() => window.socket.connect());
    await until("the queue is empty", () => page.evaluate(() => window.socket.pending), (n) => n === 0);

    // a last message after the rest: once it arrived, nothing of the rest can still come
    await page.evaluate((r) => window.socket.room(r).publish("item", { n: "last" }), room);
    await until("the last message arrived", async () => got.at(-1)?.n, (n) => n === "last");
    got.pop();
    const duplicates = await page.evaluate(() => window.duplicates);
    assert.deepEqual(got.map((m) => m.n), Array.from({ length: COUNT }, (_, i) => i + 1), "each once, in order");
    assert.deepEqual(got.map((m) => m.id), ids, "with the ids given when queued");

    console.log(`RELOAD_QUEUE connect() to the queue loaded from IndexedDB: ${first.loadMs.toFixed(1)} ms with ${COUNT} kept,`
      + ` ${baseline.loadMs.toFixed(1)} ms with none; the whole reload (navigation, the package's modules, the load):`
      + ` ${first.reloadMs.toFixed(0)} ms with ${COUNT} kept, ${baseline.reloadMs.toFixed(0)} ms with none;`
      + ` ${second.pending} left when reloaded while sending (${COUNT - second.pending} delivered before),`
      + ` ${duplicates} of them answered duplicate when sent again`);
    await context.close();
  });
});
