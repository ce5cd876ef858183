// Rooms and broadcasts: to/except with the sender excluded, broadcasts with acks from many
// sockets, volatile emits, fetchSockets, socketsJoin/socketsLeave and disconnectSockets.
//
// To show that a socket did NOT get a message without waiting for nothing, the server follows
// each room broadcast with a "fence" to the whole room: per connection, messages keep their
// order, so whoever gets the fence without the message was left out.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, manager, closeAll, connected, ask, next, record, uniqueRoom, observer } from "./support.mjs";

async function clients(names, options = { transports: ["websocket"] }) {
  return Promise.all(names.map((name) => connected(client("/", { ...options, auth: { name } }))));
}

describe("rooms and broadcasts", () => {
  afterEach(closeAll);

  it("to(room).except(room): the sender and the excluded room miss the message", async () => {
    const [a, b, c, outsider] = await clients(["a", "b", "c", "outsider"]);
    const room = uniqueRoom();
    const quiet = uniqueRoom("quiet");
    await Promise.all([ask(a, "join", room), ask(b, "join", room), ask(c, "join", room, quiet)]);
    const got = Object.fromEntries([["a", a], ["b", b], ["c", c], ["outsider", outsider]].map(([n, s]) => [n, record(s, "msg")]));
    const fences = [a, b, c].map((s) => next(s, "fence"));

    await ask(a, "to-room", { room, except: [quiet], event: "msg", payload: "hello" });
    await Promise.all(fences);
    await ask(outsider, "echo", "sync");
    assert.deepEqual(got, { a: [], b: ["hello"], c: [], outsider: [] });
  });

  it("to(room) without except reaches every member but the sender, once even if in several rooms", async () => {
    const [a, b, c] = await clients(["a", "b", "c"]);
    const room = uniqueRoom();
    await Promise.all([ask(a, "join", room), ask(b, "join", room, "extra"), ask(c, "join", room)]);
    const gotB = record(b, "msg");
    const gotC = record(c, "msg");
    const fences = [b, c].map((s) => next(s, "fence"));
    await ask(a, "to-room", { room, except: [], event: "msg", payload: { n: 1 } });
    await Promise.all(fences);
    assert.deepEqual(gotB, [{ n: 1 }]);
    assert.deepEqual(gotC, [{ n: 1 }]);
  });

  it("leave(room) stops room messages", async () => {
    const [a, b] = await clients(["a", "b"]);
    const room = uniqueRoom();
    await Promise.all([ask(a, "join", room), ask(b, "join", room)]);
    const rooms = await ask(b, "leave", room);
    assert.deepEqual(rooms, [b.id]);
    const got = record(b, "msg");
    await ask(a, "to-room", { room, except: [], event: "msg", payload: 1 });
    await ask(b, "echo", "sync");
    assert.deepEqual(got, []);
  });

  it("broadcast emitWithAck collects one answer per socket", async () => {
    const sockets = await clients(["a", "b", "c"]);
    const room = uniqueRoom();
    await Promise.all(sockets.map((s) => ask(s, "join", room)));
    sockets.forEach((s, i) => s.on("poll", (callback) => callback(`answer-${"abc"[i]}`)));
    const result = await ask(sockets[0], "collect-acks", { room, event: "poll", timeout: 2000 });
    assert.deepEqual(result, { answers: ["answer-a", "answer-b", "answer-c"] });
  });

  it("broadcast emitWithAck times out with the answers that did arrive", async () => {
    const [a, b, silent] = await clients(["a", "b", "silent"]);
    const room = uniqueRoom();
    await Promise.all([a, b, silent].map((s) => ask(s, "join", room)));
    a.on("poll", (callback) => callback("from-a"));
    b.on("poll", (callback) => callback("from-b"));
    silent.on("poll", () => {}); // never answers
    const result = await ask(a, "collect-acks", { room, event: "poll", timeout: 300 });
    assert.deepEqual(result, { error: "ACK_TIMEOUT", received: ["from-a", "from-b"] });
  });

  it("broadcast emitWithAck to an empty room answers at once with no answers", async () => {
    const [a] = await clients(["a"]);
    assert.deepEqual(await ask(a, "collect-acks", { room: uniqueRoom("empty"), event: "poll", timeout: 5000 }), { answers: [] });
  });

  for (const transport of ["websocket", "polling"]) {
    it(`volatile emits to a connected, idle client are delivered (${transport})`, async () => {
      const [a] = await clients(["a"], { transports: [transport] });
      const got = record(a, "volatile");
      const done = next(a, "volatile-done");
      a.emit("volatile", { count: 5 });
      assert.deepEqual(await done, [5]);
      // Volatile packets may be dropped, never duplicated or reordered.
      assert.ok(got.length <= 5);
      assert.deepEqual(got, [0, 1, 2, 3, 4].slice(0, got.length));
      if (transport === "websocket") {
        assert.deepEqual(got, [0, 1, 2, 3, 4], "a writable WebSocket should take every volatile packet");
      }
    });
  }

  it("fetchSockets lists the sockets of a room with their rooms and data", async () => {
    const [a, b, c] = await clients(["a", "b", "c"]);
    const room = uniqueRoom();
    await Promise.all([ask(a, "join", room), ask(b, "join", room, "b-only")]);
    const fetched = await ask(c, "fetch", { room });
    assert.deepEqual(fetched, [
      { id: a.id, rooms: [a.id, room].sort(), name: "a" },
      { id: b.id, rooms: [b.id, "b-only", room].sort(), name: "b" },
    ]);
  });

  it("socketsJoin and socketsLeave move the selected sockets between rooms", async () => {
    const [a, b, c] = await clients(["a", "b", "c"]);
    const room = uniqueRoom();
    const target = uniqueRoom("target");
    await Promise.all([ask(a, "join", room), ask(b, "join", room)]);
    assert.equal(await ask(c, "sockets-join", { room, rooms: [target] }), true);
    assert.deepEqual((await ask(c, "fetch", { room: target })).map((s) => s.name), ["a", "b"]);

    // The new membership is real: a room broadcast to `target` reaches a and b.
    const heard = [next(a, "msg"), next(b, "msg")];
    await ask(c, "to-room", { room: target, except: [], event: "msg", payload: "joined" });
    assert.deepEqual(await Promise.all(heard), [["joined"], ["joined"]]);

    assert.equal(await ask(c, "sockets-leave", { room: target, rooms: [target] }), true);
    assert.deepEqual(await ask(c, "fetch", { room: target }), []);
  });

  it("disconnectSockets(false) disconnects the room's sockets from the namespace only", async () => {
    const obs = await observer();
    const [a, b, controller] = await clients(["a", "b", "controller"]);
    const room = uniqueRoom();
    await Promise.all([ask(a, "join", room), ask(b, "join", room)]);
    const ids = [a.id, b.id];
    const left = ids.map((id) => obs.left(id));
    const disconnects = [next(a, "disconnect"), next(b, "disconnect")];
    assert.equal(await ask(controller, "disconnect-sockets", { room, close: false }), true);
    assert.deepEqual((await Promise.all(disconnects)).map(([reason]) => reason), ["io server disconnect", "io server disconnect"]);
    assert.deepEqual((await Promise.all(left)).map((n) => n.reason), ["server namespace disconnect", "server namespace disconnect"]);
    assert.equal(a.active, false, "the client must not reconnect after a server-side disconnect");
    assert.equal(await ask(controller, "echo", "unaffected"), "unaffected");
    assert.deepEqual(await ask(controller, "fetch", { room }), []);
  });

  it("disconnectSockets(true) also closes the connection, and with it its other namespaces", async () => {
    const [controller] = await clients(["controller"]);
    const m = manager({ transports: ["websocket"] });
    const main = m.socket("/", { auth: { name: "main" } });
    const chat = m.socket("/chat", { auth: { name: "chat" } });
    await Promise.all([connected(main), connected(chat)]);
    const room = uniqueRoom();
    await ask(main, "join", room);
    const mainGone = next(main, "disconnect");
    const chatGone = next(chat, "disconnect");
    await ask(controller, "disconnect-sockets", { room, close: true });
    assert.equal((await mainGone)[0], "io server disconnect");
    assert.equal((await chatGone)[0], "io server disconnect", "/chat shares the closed connection");
    assert.equal(await ask(controller, "echo", "unaffected"), "unaffected");
  });
});
