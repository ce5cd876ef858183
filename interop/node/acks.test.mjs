// Acknowledgements both ways, and timeouts on both sides, over each transport.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, connected, request, ask, observer, TRANSPORTS } from "./support.mjs";

for (const transport of TRANSPORTS) {
  describe(`acks over ${transport.name}`, () => {
    afterEach(closeAll);

    it("client -> server: the server's ack carries every argument", async () => {
      const socket = await connected(client("/", transport.options));
      assert.deepEqual(await request(socket, "echo", 1, "two", { three: [3] }, null, false), [1, "two", { three: [3] }, null, false]);
      assert.deepEqual(await request(socket, "echo"), []);
      assert.equal(await socket.emitWithAck("echo", "promise style"), "promise style");
    });

    it("client -> server: many acks in flight are matched to their requests", async () => {
      const socket = await connected(client("/", transport.options));
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => ask(socket, "echo", `#${i}`)));
      assert.deepEqual(answers, Array.from({ length: 100 }, (_, i) => `#${i}`));
    });

    it("server -> client: emitWithAck gets the client's answer", async () => {
      const socket = await connected(client("/", transport.options));
      socket.on("double", (n, callback) => callback(n * 2, "extra"));
      assert.deepEqual(await ask(socket, "ask-client", { event: "double", args: [21], timeout: 2000 }), { ok: [42, "extra"] });
      socket.on("async-answer", async (text, callback) => {
        await Promise.resolve();
        callback({ upper: text.toUpperCase() });
      });
      assert.deepEqual(await ask(socket, "ask-client", { event: "async-answer", args: ["hi"], timeout: 2000 }), { ok: [{ upper: "HI" }] });
    });

    it("client timeout(): rejects when the server never acknowledges", async () => {
      const socket = await connected(client("/", transport.options));
      const started = Date.now();
      await assert.rejects(socket.timeout(300).emitWithAck("never-ack", "x"), /operation has timed out/);
      assert.ok(Date.now() - started >= 250, "should not time out early");
      // The connection is fine afterwards.
      assert.equal(await ask(socket, "echo", "after"), "after");
    });

    it("server timeout: emitWithAck fails when the client never acknowledges", async () => {
      const socket = await connected(client("/", transport.options));
      let held;
      socket.on("hold", (callback) => {
        held = callback; // never answered in time
      });
      assert.deepEqual(await ask(socket, "ask-client", { event: "hold", args: [], timeout: 300 }), { error: "ACK_TIMEOUT" });
      assert.equal(typeof held, "function");
      // The answer now comes too late: the server drops it and the connection carries on.
      held("too late");
      assert.equal(await ask(socket, "echo", "still fine"), "still fine");
    });

    it("server emitWithAck fails with DISCONNECTED when the client leaves before answering", async () => {
      const obs = await observer();
      const socket = await connected(client("/", transport.options));
      const id = socket.id;
      const asked = new Promise((resolve) => obs.socket.on("asked", (notice) => notice.id === id && resolve(notice.result)));
      socket.on("hold", () => socket.disconnect()); // leaves instead of answering
      socket.emit("ask-client", { event: "hold", args: [], timeout: 10000 });
      assert.deepEqual(await asked, { error: "DISCONNECTED" });
    });
  });
}
