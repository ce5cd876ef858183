// Binary values (Buffers, nested at any depth) in events and acks, both directions, over each
// transport: WebSocket carries them as binary frames, polling as base64 packets.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, connected, request, ask, next, asBuffer, TRANSPORTS } from "./support.mjs";

function bytes(length, seed) {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff));
}

/** Asserts `actual` has the shape of `expected`, binary values compared as bytes. */
function assertSame(actual, expected, path = "value") {
  if (Buffer.isBuffer(expected)) {
    assert.deepEqual(asBuffer(actual), expected, `${path} differs`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} should be an array`);
    assert.equal(actual.length, expected.length, `${path} length`);
    expected.forEach((item, i) => assertSame(actual[i], item, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === "object") {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path} keys`);
    for (const key of Object.keys(expected)) assertSame(actual[key], expected[key], `${path}.${key}`);
  } else {
    assert.equal(actual, expected, path);
  }
}

const nested = () => ({
  name: "file.bin",
  blob: bytes(16, 1),
  parts: [bytes(3, 2), { deep: { deeper: [bytes(1, 3), "text", 7] } }],
  empty: Buffer.alloc(0),
  none: null,
});

for (const transport of TRANSPORTS) {
  describe(`binary over ${transport.name}`, () => {
    afterEach(closeAll);

    it("client -> server event, echoed back in the ack", async () => {
      const socket = await connected(client("/", transport.options));
      const payload = nested();
      const answer = await request(socket, "echo", payload, bytes(300, 9), "plain");
      assertSame(answer, [payload, bytes(300, 9), "plain"]);
    });

    it("a top-level Buffer argument and many attachments in one packet", async () => {
      const socket = await connected(client("/", transport.options));
      // 10 is the most attachments socket.io-parser accepts in one packet by default.
      const many = Array.from({ length: 10 }, (_, i) => bytes(i + 1, i));
      assertSame(await request(socket, "echo", bytes(5, 5)), [bytes(5, 5)]);
      assertSame(await request(socket, "echo", many), [many]);
    });

    it("server -> client event carries the Buffers", async () => {
      const socket = await connected(client("/", transport.options));
      const payload = nested();
      const received = next(socket, "bin");
      await ask(socket, "emit-back", "bin", payload, bytes(1000, 4));
      assertSame(await received, [payload, bytes(1000, 4)]);
    });

    it("server -> client emitWithAck, with Buffers in the event and in the client's ack", async () => {
      const socket = await connected(client("/", transport.options));
      socket.on("checksum", (data, callback) => {
        const buf = asBuffer(data.buf);
        callback({ got: buf, sum: buf.reduce((a, b) => a + b, 0), more: [Buffer.from("ack-bytes")] });
      });
      const buf = bytes(64, 8);
      const answer = await ask(socket, "ask-client", { event: "checksum", args: [{ buf }], timeout: 2000 });
      assertSame(answer, {
        ok: [{ got: buf, sum: buf.reduce((a, b) => a + b, 0), more: [Buffer.from("ack-bytes")] }],
      });
    });

    it("binary emits made by several server threads at once arrive whole and in order per thread", async () => {
      const socket = await connected(client("/", transport.options));
      const threads = 4;
      const count = 200;
      const seen = Array.from({ length: threads }, () => []);
      let onDisconnect;
      const failed = new Promise((resolve, reject) => {
        onDisconnect = (reason) => reject(new Error(`disconnected (${reason}) before the burst ended`));
        socket.once("disconnect", onDisconnect);
      });
      failed.catch(() => {});
      socket.on("burst", (thread, i, data) => {
        assert.deepEqual(asBuffer(data), Buffer.from([thread, i & 0xff]), `attachment of burst ${thread}/${i}`);
        seen[thread].push(i);
      });
      const done = next(socket, "burst-done", 15000);
      socket.emit("burst", { threads, count });
      assert.deepEqual(await Promise.race([done, failed]), ["ok"]);
      socket.off("disconnect", onDisconnect);
      for (let t = 0; t < threads; t++) {
        assert.deepEqual(seen[t], Array.from({ length: count }, (_, i) => i), `thread ${t}`);
      }
    });

    it("a larger binary payload arrives intact", async () => {
      const socket = await connected(client("/", transport.options));
      const big = bytes(60_000, 11);
      assertSame(await request(socket, "echo", { big }), [{ big }]);
    });
  });
}
