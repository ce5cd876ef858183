// Transports: WebSocket only, polling only, and polling upgraded to WebSocket.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, connected, next, ask, request, record } from "./support.mjs";

describe("transports", () => {
  afterEach(closeAll);

  it("connects over WebSocket only", async () => {
    const socket = await connected(client("/", { transports: ["websocket"] }));
    assert.equal(socket.io.engine.transport.name, "websocket");
    const me = await ask(socket, "whoami");
    assert.equal(me.transport, "websocket");
    assert.equal(me.id, socket.id);
    assert.deepEqual(await request(socket, "echo", "hello", 42, { nested: [true, null] }), ["hello", 42, { nested: [true, null] }]);
  });

  it("works over polling only, with concurrent messages batched both ways", async () => {
    const socket = await connected(client("/", { transports: ["polling"] }));
    assert.equal(socket.io.engine.transport.name, "polling");
    assert.equal((await ask(socket, "whoami")).transport, "polling");

    // Fifty requests in flight at once: several packets per POST and per poll response.
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => ask(socket, "echo", { i, text: "é€😀" })));
    assert.deepEqual(answers, Array.from({ length: 50 }, (_, i) => ({ i, text: "é€😀" })));

    // Server-initiated messages reach a polling client.
    const pushed = record(socket, "pushed");
    await ask(socket, "emit-back", "pushed", "one");
    await ask(socket, "emit-back", "pushed", "two");
    assert.deepEqual(pushed, ["one", "two"]);
    assert.equal(socket.io.engine.transport.name, "polling");
  });

  it("starts with polling and upgrades to WebSocket without losing messages", async () => {
    const socket = client("/", { transports: ["polling", "websocket"] });
    // The engine starts probing right after "open": listen before it can happen.
    const upgraded = new Promise((resolve, reject) => {
      socket.io.once("open", () => {
        assert.equal(socket.io.engine.transport.name, "polling");
        next(socket.io.engine, "upgrade").then(([transport]) => resolve(transport.name), reject);
      });
    });
    await connected(socket);
    // Requests sent while the upgrade may be under way must all be answered, in order.
    const early = Promise.all(Array.from({ length: 20 }, (_, i) => ask(socket, "echo", i)));
    assert.equal(await upgraded, "websocket");
    assert.deepEqual(await early, Array.from({ length: 20 }, (_, i) => i));
    assert.equal(socket.io.engine.transport.name, "websocket");
    const me = await ask(socket, "whoami");
    assert.equal(me.transport, "websocket");

    const pushed = record(socket, "pushed");
    await ask(socket, "emit-back", "pushed", "after upgrade");
    assert.deepEqual(pushed, ["after upgrade"]);
  });

  it("keeps a server-side stream whole and in order across the upgrade", async () => {
    const socket = client("/", { transports: ["polling", "websocket"] });
    const upgraded = new Promise((resolve, reject) => {
      socket.io.once("open", () => next(socket.io.engine, "upgrade").then(resolve, reject));
    });
    const ticks = record(socket, "tick");
    const done = next(socket, "ticks-done", 10000);
    await connected(socket);
    socket.emit("ticks", { count: 150, everyMs: 2 });
    await upgraded;
    assert.deepEqual(await done, [150]);
    assert.equal(socket.io.engine.transport.name, "websocket");
    assert.deepEqual(ticks, Array.from({ length: 150 }, (_, i) => i));
  });

  for (const transport of ["websocket", "polling"]) {
    it(`answers the server's heartbeats and stays connected (${transport})`, async () => {
      const socket = await connected(client("/", { transports: [transport] }));
      const connection = (await ask(socket, "whoami")).connection;
      for (let i = 0; i < 3; i++) {
        await next(socket.io, "ping");
      }
      assert.equal(socket.connected, true);
      assert.equal((await ask(socket, "whoami")).connection, connection, "still the same connection");
    });
  }
});
