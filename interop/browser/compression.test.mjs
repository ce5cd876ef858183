// Chromium's own WebSocket offers permessage-deflate; a server started with --ws-compression
// accepts it. Large room messages go both ways between the page and a Node client intact.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { URL, launchBrowser, newPage, publisher, call } from "./support.mjs";

describe("permessage-deflate in Chromium", { timeout: 60000 }, () => {
  let browser;
  let sender;
  let page;
  const room = "deflate";
  const big = (seed) => Array.from({ length: 2000 }, (_, i) => `word${(i * 7 + seed) % 50}`).join(" ");

  before(async () => {
    browser = await launchBrowser();
    sender = await publisher();
    await call(sender, "room:join", { room });
    page = await newPage(browser);
    await page.goto(URL + "/healthz");
    await page.setContent(`<!doctype html><title>deflate</title>
      <script src="/socket.io/socket.io.js"></script>
      <script>
        window.got = [];
        window.socket = io({ transports: ["websocket"] });
        socket.on("note", (data) => window.got.push(data.text));
        socket.on("connect", async () => {
          window.joined = await socket.emitWithAck("room:join", { room: ${JSON.stringify(room)} });
        });
      </script>`);
    await page.waitForFunction(() => window.joined !== undefined);
  });

  after(async () => {
    sender?.disconnect();
    await browser?.close();
  });

  it("is negotiated by the browser's WebSocket", async () => {
    const extensions = await page.evaluate(() => socket.io.engine.transport.ws.extensions);
    assert.match(extensions, /^permessage-deflate/);
    assert.match(extensions, /server_no_context_takeover/);
  });

  it("large messages arrive intact both ways", async () => {
    for (let i = 0; i < 5; i++) {
      await call(sender, "room:publish", { room, event: "note", data: { text: big(i) } });
    }
    await page.waitForFunction(() => window.got.length === 5);
    assert.deepEqual(await page.evaluate(() => window.got), [0, 1, 2, 3, 4].map(big));

    const received = new Promise((resolve) => sender.once("note", (data) => resolve(data.text)));
    const answer = await page.evaluate(async ({ room, text }) => socket.emitWithAck("room:publish",
      { room, event: "note", data: { text } }), { room, text: big(9) });
    assert.equal(answer.ok, true);
    assert.equal(await received, big(9));
  });
});
