// The official browser client built with socket.io-msgpack-parser (socket.io.msgpack.min.js, served
// by the server itself) against a server started with --parser msgpack: events, acks, rooms and
// binary values both ways with a Node socket.io-client using socket.io-msgpack-parser, over
// WebSocket and polling. A client speaking the JSON format cannot join such a server.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import msgpackParser from "socket.io-msgpack-parser";
import { URL, WAIT_MS, launchBrowser, newPage, call } from "./support.mjs";

/** A Node client speaking msgpack, connected. */
async function msgpackClient(options = {}) {
  const socket = io(URL, { forceNew: true, reconnection: false, timeout: WAIT_MS, parser: msgpackParser, ...options });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

const BYTES = [0, 1, 2, 127, 128, 254, 255];

for (const transport of ["websocket", "polling"]) {
  describe(`msgpack parser in Chromium over ${transport}`, { timeout: 60000 }, () => {
    let browser;
    let node;
    let page;
    const room = `msgpack-${transport}`;

    before(async () => {
      browser = await launchBrowser();
      node = await msgpackClient({ transports: [transport] });
      await call(node, "room:join", { room });
      page = await newPage(browser);
      await page.goto(URL + "/healthz");
      await page.setContent(`<!doctype html><title>msgpack</title>
        <script src="/socket.io/socket.io.msgpack.min.js"></script>
        <script>
          window.got = [];
          window.socket = io({ transports: [${JSON.stringify(transport)}] });
          socket.on("note", (data, meta) => window.got.push({
            text: data.text,
            bytes: Array.from(new Uint8Array(data.bytes)),
            isArrayBuffer: data.bytes instanceof ArrayBuffer,
            from: meta.from,
          }));
          socket.on("connect", async () => {
            window.joined = await socket.emitWithAck("room:join", { room: ${JSON.stringify(room)} });
          });
        </script>`);
      await page.waitForFunction(() => window.joined !== undefined);
      assert.deepEqual(await page.evaluate(() => window.joined), { ok: true });
    });

    after(async () => {
      node?.disconnect();
      await browser?.close();
    });

    it("the page gets a Node client's publish, its Buffer as an ArrayBuffer", async () => {
      await call(node, "room:publish", { room, event: "note", data: { text: "to the page", bytes: Buffer.from(BYTES) } });
      await page.waitForFunction(() => window.got.length > 0);
      const [note] = await page.evaluate(() => window.got);
      assert.deepEqual(note, { text: "to the page", bytes: BYTES, isArrayBuffer: true, from: node.id });
    });

    it("the Node client gets the page's publish, its ArrayBuffer as a Buffer, and the page its ack", async () => {
      const received = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no note from the page")), WAIT_MS);
        node.once("note", (data, meta) => {
          clearTimeout(timer);
          resolve({ data, meta });
        });
      });
      const answer = await page.evaluate(async ({ room, bytes }) => socket.emitWithAck("room:publish",
        { room, event: "note", data: { text: "from the page", bytes: new Uint8Array(bytes).buffer } }), { room, bytes: BYTES });
      assert.equal(answer.ok, true);
      const { data, meta } = await received;
      assert.equal(data.text, "from the page");
      assert.ok(Buffer.isBuffer(data.bytes), "binary arrives as a Buffer in Node");
      assert.deepEqual([...data.bytes], BYTES);
      assert.equal(meta.from, await page.evaluate(() => socket.id));
    });
  });
}

describe("a JSON client against the msgpack server", () => {
  it("cannot join: the server closes its connection at its first packet", async () => {
    const socket = io(URL, { forceNew: true, reconnection: false, timeout: WAIT_MS, transports: ["websocket"] });
    const outcome = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve("nothing happened"), WAIT_MS);
      const done = (what) => {
        clearTimeout(timer);
        resolve(what);
      };
      socket.once("connect", () => done("connected"));
      socket.once("connect_error", (err) => done(`refused: ${err.message}`));
      socket.io.once("close", (reason) => done(`closed: ${reason}`));
    });
    socket.disconnect();
    assert.equal(outcome, "closed: transport close");
  });
});
