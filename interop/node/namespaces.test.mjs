// Namespaces: static ones, a dynamic family matched by a regular expression, several
// namespaces multiplexed on one connection, and unknown names refused.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, manager, closeAll, connected, refused, next, ask, record } from "./support.mjs";

describe("namespaces", () => {
  afterEach(closeAll);

  // First in this file: the dynamic family has no child yet (each file gets a fresh server).
  it("broadcasts with acks to a dynamic family without children answer at once", async () => {
    const main = await connected(client("/"));
    const started = Date.now();
    assert.deepEqual(await ask(main, "collect-acks", { dynamic: true, event: "poll", timeout: 4500 }), { answers: [] });
    assert.ok(Date.now() - started < 4000, "should not wait for the timeout");
  });

  it("broadcasts with acks across every child of a dynamic family", async () => {
    const main = await connected(client("/"));
    const a = await connected(client("/dyn-a1"));
    const b = await connected(client("/dyn-b2"));
    a.on("poll", (callback) => callback("a1"));
    b.on("poll", (callback) => callback("b2"));
    main.on("poll", (callback) => callback("main must not be asked"));
    assert.deepEqual(await ask(main, "collect-acks", { dynamic: true, event: "poll", timeout: 3000 }), { answers: ["a1", "b2"] });
  });

  it("serves a static namespace", async () => {
    const socket = await connected(client("/chat"));
    const me = await ask(socket, "whoami");
    assert.equal(me.nsp, "/chat");
    assert.equal(me.id, socket.id);
    assert.deepEqual(await ask(socket, "echo", { in: "chat" }), { in: "chat" });
  });

  it("multiplexes several namespaces on one connection", async () => {
    const m = manager({ transports: ["websocket"] });
    const main = m.socket("/");
    const chat = m.socket("/chat");
    await Promise.all([connected(main), connected(chat)]);
    const [a, b] = await Promise.all([ask(main, "whoami"), ask(chat, "whoami")]);
    assert.equal(a.nsp, "/");
    assert.equal(b.nsp, "/chat");
    assert.notEqual(a.id, b.id);
    assert.equal(a.connection, b.connection, "both namespaces should share one Engine.IO connection");

    // Leaving one namespace leaves the other one working on the same connection.
    chat.disconnect();
    assert.equal((await ask(main, "whoami")).connection, a.connection);
    assert.equal(main.connected, true);
  });

  it("creates dynamic namespaces matching the pattern, each with its own sockets", async () => {
    const one = await connected(client("/dyn-room1"));
    const alsoOne = await connected(client("/dyn-room1"));
    const two = await connected(client("/dyn-room2"));
    assert.equal((await ask(one, "whoami")).nsp, "/dyn-room1");
    assert.equal((await ask(two, "whoami")).nsp, "/dyn-room2");

    const fetched = await ask(one, "fetch", {});
    assert.deepEqual(fetched.map((s) => s.id).sort(), [one.id, alsoOne.id].sort(), "fetchSockets of a child sees only that child");

    // A room broadcast in one child reaches that child's members only.
    await Promise.all([ask(one, "join", "shared"), ask(alsoOne, "join", "shared"), ask(two, "join", "shared")]);
    const inTwo = record(two, "hello");
    const heard = next(alsoOne, "hello");
    await ask(one, "to-room", { room: "shared", except: [], event: "hello", payload: "dyn" });
    assert.deepEqual(await heard, ["dyn"]);
    // Anything sent to `two` before its own answer would have arrived first.
    await ask(two, "echo", "sync");
    assert.deepEqual(inTwo, []);
  });

  it("refuses unknown namespaces and names the pattern does not match", async () => {
    for (const nsp of ["/nope", "/dyn-UPPER", "/dyn-"]) {
      const err = await refused(client(nsp));
      assert.equal(err.message, "Invalid namespace", `for ${nsp}`);
    }
  });

  it("refuses an unknown namespace without closing the connection's other namespaces", async () => {
    const m = manager({ transports: ["websocket"] });
    const main = m.socket("/");
    await connected(main);
    const err = await refused(m.socket("/missing"));
    assert.equal(err.message, "Invalid namespace");
    assert.equal(await ask(main, "echo", "still here"), "still here");
  });
});
