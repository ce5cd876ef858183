// Three standalone nodes sharing one Redis, with official clients spread over them: room
// broadcasts, the sender left out, per-user rooms, acknowledgements and presence across nodes.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { io } from "socket.io-client";

const NODES = process.env.SWITCHBOARD_URLS.split(",");
const SECRET = process.env.SWITCHBOARD_JWT_SECRET;
const WAIT_MS = 5000;
const opened = [];

after(() => {
  for (const s of opened.splice(0)) s.disconnect();
});

function base64url(value) {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

/** An HS256 token for `sub`, signed with the nodes' secret. */
function token(sub) {
  const unsigned = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url({ sub, name: sub.toUpperCase(), exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${unsigned}.${createHmac("sha256", SECRET).update(unsigned).digest("base64url")}`;
}

/** Connects user `sub` to node `n` (0, 1 or 2). */
function connect(n, sub) {
  const socket = io(NODES[n], { forceNew: true, transports: ["websocket"], reconnection: false, auth: { token: token(sub) } });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function join(socket, room) {
  const answer = await socket.emitWithAck("room:join", { room });
  assert.equal(answer.ok, true, JSON.stringify(answer));
}

/** Collects the data of `event` in arrival order. */
function collect(socket, event) {
  const got = [];
  socket.on(event, (data) => got.push(data));
  return got;
}

async function until(what, check, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("a room publish reaches the members on every node, never the sender", async () => {
  const sender = await connect(0, "sender");
  const members = [await connect(0, "m0"), await connect(1, "m1"), await connect(2, "m2")];
  for (const s of [sender, ...members]) await join(s, "cluster:lobby");
  const senderGot = collect(sender, "chat");
  const metas = [];
  const inboxes = members.map((m) => {
    const got = [];
    m.on("chat", (data, meta) => {
      got.push(data.text);
      if (data.text === "hello") metas.push(meta);
    });
    return got;
  });

  const answer = await sender.emitWithAck("room:publish", { room: "cluster:lobby", event: "chat", data: { text: "hello" } });
  assert.equal(answer.ok, true, JSON.stringify(answer));
  await until("every member has it", () => inboxes.every((got) => got.length === 1));
  assert.deepEqual(inboxes, [["hello"], ["hello"], ["hello"]]);
  for (const meta of metas) {
    assert.equal(meta.room, "cluster:lobby");
    assert.equal(meta.from, sender.id);
    assert.equal(meta.user, "sender");
  }
  // A fence from node 2: the sender's first chat must be it, not its own message.
  assert.equal((await members[2].emitWithAck("room:publish", { room: "cluster:lobby", event: "chat", data: { text: "fence" } })).ok, true);
  await until("the fence reaches the sender", () => senderGot.length === 1);
  assert.deepEqual(senderGot.map((d) => d.text), ["fence"]);
});

test("a message to a user reaches their tabs on other nodes", async () => {
  const tabs = [await connect(0, "ada"), await connect(1, "ada"), await connect(2, "ada")];
  const bob = await connect(1, "bob");
  const inboxes = tabs.map((t) => collect(t, "dm"));
  const bobGot = collect(bob, "dm");

  const answer = await tabs[2].emitWithAck("room:publish", { room: "user:ada", event: "dm", data: { text: "sync" } });
  assert.equal(answer.ok, true, JSON.stringify(answer));
  await until("both other tabs have it", () => inboxes[0].length === 1 && inboxes[1].length === 1);
  assert.deepEqual(inboxes[0], [{ text: "sync" }]);
  assert.deepEqual(inboxes[1], [{ text: "sync" }]);

  const refused = await bob.emitWithAck("room:publish", { room: "user:ada", event: "dm", data: { text: "spam" } });
  assert.equal(refused.ok, false);
  // The publishing tab and bob got nothing: a fence to ada's room arrives first on tab 2.
  assert.equal((await tabs[0].emitWithAck("room:publish", { room: "user:ada", event: "dm", data: { text: "fence" } })).ok, true);
  await until("the fence reaches tab 2", () => inboxes[2].length === 1);
  assert.deepEqual(inboxes[2], [{ text: "fence" }]);
  assert.deepEqual(bobGot, []);
});

test("a publish with ack gathers the acknowledgements of members on every node", async () => {
  const asker = await connect(0, "asker");
  await join(asker, "cluster:poll");
  for (const [n, name] of [[0, "p0"], [1, "p1"], [2, "p2"], [2, "p3"]]) {
    const member = await connect(n, name);
    await join(member, "cluster:poll");
    member.on("vote", (data, meta, callback) => callback({ name, answer: data.question.length, from: meta.from }));
  }

  const answer = await asker.emitWithAck("room:publish", { room: "cluster:poll", event: "vote", data: { question: "tabs?" }, ack: 3000 });
  assert.equal(answer.ok, true, JSON.stringify(answer));
  assert.deepEqual(answer.responses.map((r) => r.name).sort(), ["p0", "p1", "p2", "p3"]);
  assert.ok(answer.responses.every((r) => r.answer === 5 && r.from === asker.id));

  const silent = await connect(1, "silent");
  await join(silent, "cluster:poll");
  const heard = collect(silent, "vote");
  const started = Date.now();
  const partial = await asker.emitWithAck("room:publish", { room: "cluster:poll", event: "vote", data: { question: "?" }, ack: 400 });
  assert.ok(Date.now() - started >= 350, `answered after ${Date.now() - started} ms`);
  assert.equal(partial.ok, false);
  assert.equal(partial.error.code, "ACK_TIMEOUT");
  assert.deepEqual(partial.responses.map((r) => r.name).sort(), ["p0", "p1", "p2", "p3"]);
  assert.equal(heard.length, 1);

  const invalid = await asker.emitWithAck("room:publish", { room: "cluster:poll", event: "vote", data: {}, ack: -1 });
  assert.equal(invalid.error.code, "INVALID_REQUEST");
});

test("presence lists the members of every node, each user once", async () => {
  const here = await connect(0, "watcher");
  await join(here, "cluster:doc");
  for (const [n, name] of [[1, "grace"], [2, "grace"], [2, "linus"]]) {
    await join(await connect(n, name), "cluster:doc");
  }
  const ids = async () => (await here.emitWithAck("presence:list", { room: "cluster:doc" })).members.map((m) => m.id).sort();
  await until("everyone is listed", async () => (await ids()).length === 3);
  assert.deepEqual(await ids(), ["grace", "linus", "watcher"]);
  const list = await here.emitWithAck("presence:list", { room: "cluster:doc" });
  assert.equal(list.members.find((m) => m.id === "grace").name, "GRACE");
});
