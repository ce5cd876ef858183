// The package against a real Switchboard (SWITCHBOARD_URL), through a proxy that fails the network.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { connect } from "../../src/index.js";
import { startProxy } from "./proxy.mjs";

const SERVER = process.env.SWITCHBOARD_URL;
const WAIT_MS = 10_000;
const cleanups = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

let rooms = 0;
const freshRoom = () => `client-${process.pid}-${++rooms}`;

async function until(what, check, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function proxy() {
  const p = await startProxy(SERVER);
  cleanups.push(() => p.close());
  return p;
}

function client(url, user, options = {}) {
  const socket = connect(url, { forceNew: true, transports: ["websocket"], auth: { user },
    reconnectionDelay: 50, reconnectionDelayMax: 200, ...options });
  cleanups.push(() => socket.disconnect());
  return socket;
}

/** A plain socket.io-client member of `room` that records what is published there. */
async function observer(room, event) {
  const socket = io(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, auth: { user: { id: `observer-${room}` } } });
  cleanups.push(() => socket.disconnect());
  const got = [];
  socket.on(event, (data, meta) => got.push({ data, meta }));
  await new Promise((resolve, reject) => { socket.once("connect", resolve); socket.once("connect_error", reject); });
  assert.equal((await socket.emitWithAck("room:join", { room })).ok, true);
  return got;
}

const connected = (socket) => until("connected", () => socket.connected);
const idsOf = (members) => members.map((m) => m.id).sort();

test("messages published while the network is down are delivered once each, in order, after it comes back", async () => {
  const room = freshRoom();
  const got = await observer(room, "chat");
  const net = await proxy();
  const ada = client(net.url, { id: "ada" });
  await ada.room(room).join();
  const pendingSeen = [];
  ada.queue.on("pending", (n) => pendingSeen.push(n));

  net.refuse(true);
  net.cut();
  await until("ada notices the drop", () => !ada.connected);
  const answers = [];
  for (let n = 1; n <= 20; n++) answers.push(ada.room(room).publish("chat", { n }));
  assert.equal(ada.pending, 20);
  assert.deepEqual(got, []);

  net.refuse(false);
  const settled = await Promise.all(answers);
  assert.ok(settled.every((a) => a.ok === true && a.duplicate === undefined), JSON.stringify(settled));
  await until("the observer has all 20", () => got.length >= 20);
  assert.deepEqual(got.map((m) => m.data.n), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.equal(new Set(got.map((m) => m.meta.id)).size, 20);
  assert.equal(ada.pending, 0);
  assert.equal(pendingSeen.at(-1), 0);
  assert.equal(Math.max(...pendingSeen), 20);
});

test("a message whose answer was lost with the connection is resent with its id, answered duplicate, and delivered once", async () => {
  const room = freshRoom();
  const got = await observer(room, "chat");
  const net = await proxy();
  const ada = client(net.url, { id: "ada" }, { ackTimeout: 30_000 });
  await ada.room(room).join();
  const attempts = [];
  ada.queue.on("sent", (entry, answer) => attempts.push(answer));

  net.swallow(true);                      // the server gets the publish, its answer goes nowhere
  const answer = ada.room(room).publish("chat", { text: "once" });
  await until("the observer got the message", () => got.length === 1);
  assert.equal(ada.pending, 1, "no answer reached ada yet");
  net.cut();
  net.swallow(false);

  assert.deepEqual(await answer, { ok: true, duplicate: true });
  await ada.room(room).publish("chat", { text: "after" });
  await until("the next message arrived", () => got.some((m) => m.data.text === "after"));
  assert.deepEqual(got.map((m) => m.data.text), ["once", "after"]);
});

test("presence is right after a recovered reconnection and after one that lost its session: no ghosts, nobody missing", async () => {
  const room = freshRoom();
  const net = await proxy();
  const ada = client(net.url, { id: "ada", name: "Ada" });
  const bob = client(SERVER, { id: "bob", name: "Bob" });
  await bob.room(room).join();
  await ada.room(room).join();
  await until("ada sees both", () => idsOf(ada.room(room).members).join() === "ada,bob");
  await until("bob sees both", () => idsOf(bob.room(room).members).join() === "ada,bob");

  // a network drop: bob leaves and carol joins while ada is away; ada's session is recovered
  // (socket.io-client asks for recovery once it has received an event, which gives it an offset)
  const hello = new Promise((resolve) => ada.room(room).on("hello", resolve));
  await bob.room(room).publish("hello", {});
  await hello;
  net.refuse(true);
  net.cut();
  await until("ada notices the drop", () => !ada.connected);
  await until("bob sees ada leave", () => idsOf(bob.room(room).members).join() === "bob");
  await bob.room(room).leave();
  const carol = client(SERVER, { id: "carol" });
  await carol.room(room).join();
  net.refuse(false);
  await connected(ada);
  assert.equal(ada.recovered, true);
  await until("ada sees carol and not bob", () => idsOf(ada.room(room).members).join() === "ada,carol");
  await until("carol sees ada back", () => idsOf(carol.room(room).members).join() === "ada,carol");

  // a reconnection without the session (the client disconnected itself): rejoined, list reloaded
  ada.disconnect();
  await until("carol sees ada leave", () => idsOf(carol.room(room).members).join() === "carol");
  await carol.room(room).leave();
  await bob.room(room).join();
  ada.connect();
  await connected(ada);
  assert.equal(ada.recovered, false);
  await until("ada sees bob and not carol", () => idsOf(ada.room(room).members).join() === "ada,bob");
  await until("bob sees ada back", () => idsOf(bob.room(room).members).join() === "ada,bob");
});

test("history reads what was published, from a position on", async () => {
  const room = freshRoom();
  const ada = client(SERVER, { id: "ada" });
  await ada.room(room).join();
  const first = await ada.room(room).publish("chat", { n: 1 });
  await ada.room(room).publish("chat", { n: 2 });
  const all = await ada.room(room).history();
  assert.deepEqual(all.messages.map((m) => m.data.n), [1, 2]);
  const after = await ada.room(room).history({ since: first.position });
  assert.deepEqual(after.messages.map((m) => m.data.n), [2]);
  await assert.rejects(ada.room("not joined").history(), (e) => e.code === "NOT_IN_ROOM" || e.code === "INVALID_ROOM");
});

test("the token comes from getToken before every connection", async () => {
  const net = await proxy();
  let calls = 0;
  const ada = client(net.url, { id: "ada" }, { getToken: async () => `token-${++calls}` });
  await connected(ada);
  net.cut();
  await until("reconnected", () => calls >= 2 && ada.connected);
});
