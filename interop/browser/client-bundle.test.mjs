// The official browser client as pages load it from the server itself: a classic
// <script src="/socket.io/socket.io.js"> and an ES module import of /socket.io/socket.io.esm.min.js,
// each connecting and receiving a room message published by the Node client.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { URL, launchBrowser, newPage, publisher, call } from "./support.mjs";

describe("client bundle served under /socket.io/ in Chromium", { timeout: 60000 }, () => {
  let browser;
  let sender;

  before(async () => {
    browser = await launchBrowser();
    sender = await publisher();
    await call(sender, "room:join", { room: "bundle" });
  });

  after(async () => {
    sender?.disconnect();
    await browser?.close();
  });

  /** A page whose script connects with `io` and records `hello` events of room "bundle" in window.got. */
  const connectAndListen = `
    window.got = [];
    const socket = io({ transports: ["websocket"] });
    socket.on("hello", (data) => window.got.push(data.text));
    socket.on("connect", async () => {
      const answer = await socket.emitWithAck("room:join", { room: "bundle" });
      window.joined = answer.ok;
    });`;

  async function receives(page, text) {
    await page.waitForFunction(() => window.joined === true);
    await call(sender, "room:publish", { room: "bundle", event: "hello", data: { text } });
    await page.waitForFunction((t) => window.got.includes(t), text);
  }

  it("loads socket.io.js with a script tag", async () => {
    const page = await newPage(browser);
    await page.goto(URL + "/healthz");
    await page.setContent(`<!doctype html><title>bundle</title>
      <script src="/socket.io/socket.io.js"></script>
      <script>${connectAndListen}</script>`);
    assert.equal(await page.evaluate(() => typeof io), "function");
    await receives(page, "to the classic script");
    await page.context().close();
  });

  it("imports the ES module build", async () => {
    const page = await newPage(browser);
    await page.goto(URL + "/healthz");
    await page.setContent(`<!doctype html><title>bundle</title>
      <script type="module">
        import { io } from "/socket.io/socket.io.esm.min.js";
        ${connectAndListen}
      </script>`);
    await receives(page, "to the module");
    await page.context().close();
  });
});
