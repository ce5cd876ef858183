// A browser's own EventSource on /sse?rooms=... receives what the Node socket.io-client
// publishes, reconnects by itself after its connection is cut and resumes with Last-Event-ID:
// the messages published meanwhile arrive once, in order.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { URL as SERVER, launchBrowser, eventSourcePage, newPage, publisher, call, relay, WAIT_MS } from "./support.mjs";

describe("EventSource in Chromium", { timeout: 90000 }, () => {
  let browser;
  let socket;
  let path;

  before(async () => {
    browser = await launchBrowser();
    socket = await publisher();
    path = await relay();
  });

  after(async () => {
    socket?.disconnect();
    await path?.close();
    await browser?.close();
  });

  const publish = (room, n) => call(socket, "room:publish", { room, event: "item", data: { n } });
  const numbers = (page) => page.evaluate(() => window.log.map((e) => e.data.n));

  it("receives the room publishes of a socket.io client, with ids", async () => {
    const page = await eventSourcePage(browser, path.url, ["item"]);
    await call(socket, "room:join", { room: "room-a" });
    await page.evaluate(() => window.follow("/sse?rooms=room-a"));
    await page.waitForFunction(() => window.opens === 1);

    const sentAt = [];
    for (let n = 1; n <= 3; n++) {
      sentAt.push(Date.now());
      await publish("room-a", n);
    }
    await page.waitForFunction(() => window.log.length === 3);
    const log = await page.evaluate(() => window.log);
    assert.deepEqual(log.map((e) => e.data.n), [1, 2, 3]);
    log.forEach((e, i) => assert.match(e.id, new RegExp(`^room-a@[^:,]+:${i + 1}$`)));
    console.log("publish-to-EventSource latency (ms, wall clock):", log.map((e, i) => Math.round(e.at - sentAt[i])));
    await page.context().close();
  });

  it("reconnects by itself after a cut and resumes with Last-Event-ID: missed messages once, in order", async () => {
    const page = await eventSourcePage(browser, path.url, ["item"]);
    const lastEventIds = [];
    page.on("request", async (request) => {
      if (new URL(request.url()).pathname === "/sse") {
        lastEventIds.push((await request.allHeaders())["last-event-id"] ?? null);
      }
    });
    await call(socket, "room:join", { room: "room-b" });
    await page.evaluate(() => window.follow("/sse?rooms=room-b"));
    await page.waitForFunction(() => window.opens === 1);
    await publish("room-b", 1);
    await publish("room-b", 2);
    await page.waitForFunction(() => window.log.length === 2);
    const seen = await page.evaluate(() => window.log[1].id);

    assert.ok(path.cut() >= 1, "the stream's connection went through the relay");
    await page.waitForFunction(() => window.errors === 1 && window.source.readyState === EventSource.CONNECTING);
    for (let n = 3; n <= 5; n++) {
      await publish("room-b", n);
    }
    assert.equal(lastEventIds.length, 1, "the gap's messages were published before the browser reconnected");

    // The browser reconnects after the server's retry: hint, sending the id of the last event it got.
    await page.waitForFunction(() => window.opens === 2 && window.log.length === 5, null, { timeout: WAIT_MS });
    assert.deepEqual(lastEventIds, [null, seen]);
    await publish("room-b", 6);
    await page.waitForFunction(() => window.log.length === 6);
    assert.deepEqual(await numbers(page), [1, 2, 3, 4, 5, 6]);
    const offsets = await page.evaluate(() => window.log.map((e) => Number(e.id.split(":").pop())));
    assert.deepEqual(offsets, [1, 2, 3, 4, 5, 6]);

    // A page that closed its EventSource can resume a new one from the id it kept.
    const lastId = await page.evaluate(() => { window.source.close(); return window.log.at(-1).id; });
    await publish("room-b", 7);
    await publish("room-b", 8);
    await page.evaluate((id) => window.follow("/sse?rooms=room-b&lastEventId=" + encodeURIComponent(id)), lastId);
    await page.waitForFunction(() => window.log.length === 8);
    await publish("room-b", 9);
    await page.waitForFunction(() => window.log.length === 9);
    assert.deepEqual(await numbers(page), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await page.context().close();
  });

  it("the pattern guide's useSSE hook, verbatim, follows a room from another origin", async () => {
    // The page is served from the relay's origin; the stream comes from the server's, with
    // credentials, so the server's allowed-origins must allow it.
    const page = await newPage(browser);
    const console_ = [];
    page.on("console", (message) => console_.push(message.text()));
    await page.goto(path.url + "/healthz");
    await page.setContent(`<!doctype html><title>useSSE</title><script>
      window.notifications = [];
      const useEffect = (effect) => { window.unmount = effect(); };   // React's, for one render

      // client: EventSource with reconnection (the guide's hook; only its type annotations removed)
      function useSSE(url, onMessage) {
        useEffect(() => {
          const source = new EventSource(url, { withCredentials: true });

          source.onopen = () => console.log('SSE connected');
          source.onerror = (e) => {
            // EventSource auto-reconnects with exponential backoff
            console.warn('SSE error, will reconnect', e);
          };

          source.addEventListener('notification', (e) => {
            onMessage(JSON.parse(e.data));
          });

          return () => source.close();
        }, [url]);
      }

      window.start = (url) => useSSE(url, (data) => window.notifications.push(data));
    </script>`);
    const connected = page.waitForEvent("console", { predicate: (m) => m.text() === "SSE connected", timeout: WAIT_MS });
    await page.evaluate((url) => window.start(url), SERVER + "/sse?rooms=alerts");
    await connected;
    await call(socket, "room:join", { room: "alerts" });
    await call(socket, "room:publish", { room: "alerts", event: "notification", data: { title: "Deploy finished" } });
    await page.waitForFunction(() => window.notifications.length === 1);
    assert.deepEqual(await page.evaluate(() => window.notifications), [{ title: "Deploy finished" }]);
    assert.ok(!console_.some((line) => line.startsWith("SSE error")), "no error: " + JSON.stringify(console_));
    await page.evaluate(() => window.unmount());
    await page.context().close();
  });
});
