// The CONNECT packet's auth payload as the server sees it, and middlewares refusing a
// connection with a message and data that reach the client's connect_error.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, manager, closeAll, connected, refused, ask } from "./support.mjs";

describe("auth and middleware", () => {
  afterEach(closeAll);

  it("hands the auth payload and query to the server", async () => {
    const auth = { name: "ada", token: "t-1", nested: { list: [1, "two", null], flag: true } };
    const socket = await connected(client("/", { auth, query: { room: "lobby", v: "1" } }));
    const me = await ask(socket, "whoami");
    assert.deepEqual(me.auth, auth);
    assert.equal(me.query.room, "lobby");
    assert.equal(me.query.v, "1");
    assert.equal(me.query.EIO, "4");
    assert.equal(me.name, "ada", "a middleware for all namespaces stored auth.name in socket.data");
  });

  it("accepts auth given as a callback, per namespace", async () => {
    const m = manager({ transports: ["websocket"] });
    const main = m.socket("/", { auth: (cb) => cb({ name: "main-user" }) });
    const chat = m.socket("/chat", { auth: (cb) => cb({ name: "chat-user", room: 7 }) });
    await Promise.all([connected(main), connected(chat)]);
    assert.deepEqual((await ask(main, "whoami")).auth, { name: "main-user" });
    assert.deepEqual((await ask(chat, "whoami")).auth, { name: "chat-user", room: 7 });
  });

  it("sends an empty object when the client gives no auth", async () => {
    const socket = await connected(client("/chat"));
    const me = await ask(socket, "whoami");
    assert.deepEqual(me.auth, {});
    assert.equal(me.name, "anonymous");
  });

  for (const transport of ["websocket", "polling"]) {
    it(`reports a refusal's message and data in connect_error (${transport})`, async () => {
      const data = { code: 4001, reasons: ["banned", "late"], detail: { until: null } };
      const err = await refused(client("/", { transports: [transport], auth: { reject: { message: "go away", data } } }));
      assert.ok(err instanceof Error);
      assert.equal(err.message, "go away");
      assert.deepEqual(err.data, data);
    });
  }

  it("runs an asynchronous middleware: no token, bad token, good token", async () => {
    const missing = await refused(client("/private"));
    assert.equal(missing.message, "unauthorized");
    assert.deepEqual(missing.data, { reason: "no token" });

    const bad = await refused(client("/private", { auth: { token: "guess" } }));
    assert.equal(bad.message, "forbidden");
    assert.deepEqual(bad.data, { reason: "bad token", status: 403 });

    const good = await connected(client("/private", { auth: { token: "letmein", name: "insider" } }));
    const me = await ask(good, "whoami");
    assert.equal(me.nsp, "/private");
    assert.equal(me.name, "insider");
  });

  it("refuses one namespace while another one of the same connection stays connected", async () => {
    const m = manager({ transports: ["websocket"] });
    const main = m.socket("/");
    await connected(main);
    const err = await refused(m.socket("/private", { auth: { token: "nope" } }));
    assert.equal(err.message, "forbidden");
    assert.equal(await ask(main, "echo", "alive"), "alive");
  });

  it("lets a refused client connect once its auth is fixed", async () => {
    const socket = client("/private", { auth: { token: "wrong" } });
    assert.equal((await refused(socket)).message, "forbidden");
    socket.auth = { token: "letmein" };
    socket.connect();
    await connected(socket);
    assert.equal((await ask(socket, "whoami")).nsp, "/private");
  });
});
