// Two standalone Switchboard servers on --redis-wire socketio beside this script's Node node
// (socket.io 4.8 + @socket.io/redis-adapter) and @socket.io/redis-emitter: room publishes cross
// between them, the emitter reaches the standalone servers' clients, and presence still spans
// the Switchboard nodes. With SHARDED=<subscriptionMode> the Node node uses createShardedAdapter
// (the servers are on --redis-wire socketio-sharded) and the emitter, which cannot reach it, is left out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Emitter } from "@socket.io/redis-emitter";
import { io as connectClient } from "socket.io-client";
import { startNode } from "./socketio-node.mjs";

const SWITCHBOARD = process.env.SWITCHBOARD_URLS.split(",");
const SECRET = process.env.SWITCHBOARD_JWT_SECRET;
const WAIT_MS = 5000;
const opened = [];
const SHARDED = process.env.SHARDED ?? "";
let node, emitter;

before(async () => {
  node = await startNode(process.env.REDIS_URL, "node", SHARDED);
  emitter = SHARDED ? null : new Emitter(node.pub);
});

after(async () => {
  for (const s of opened.splice(0)) s.disconnect();
  await node.close();
});

function base64url(value) {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

function token(sub) {
  const unsigned = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url({ sub, name: sub.toUpperCase(), exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${unsigned}.${createHmac("sha256", SECRET).update(unsigned).digest("base64url")}`;
}

async function connect(url, sub) {
  const socket = connectClient(url, { forceNew: true, transports: ["websocket"], reconnection: false, auth: { token: token(sub) } });
  opened.push(socket);
  await new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

async function join(socket, room) {
  const answer = await socket.emitWithAck("room:join", { room });
  assert.equal(answer.ok, true, JSON.stringify(answer));
}

function collect(socket, event) {
  const got = [];
  socket.on(event, (...args) => got.push(args));
  return got;
}

async function until(what, check, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("a room publish on a standalone node reaches the Node node's members, and the Node node's broadcast theirs", async () => {
  const sender = await connect(SWITCHBOARD[0], "sender");
  const other = await connect(SWITCHBOARD[1], "other");
  const onNode = await connect(node.url, "on-node");
  for (const s of [sender, other, onNode]) await join(s, "mix:lobby");
  const senderGot = collect(sender, "chat");
  const got = [other, onNode].map((s) => collect(s, "chat"));
  const answer = await sender.emitWithAck("room:publish", { room: "mix:lobby", event: "chat", data: { text: "hello" } });
  assert.equal(answer.ok, true, JSON.stringify(answer));
  await until("both members got it", () => got.every((g) => g.length === 1));
  for (const g of got) {
    assert.deepEqual(g[0][0], { text: "hello" });
    assert.equal(g[0][1].from, sender.id);
  }
  await onNode.emitWithAck("do:emit", { to: ["mix:lobby"], event: "chat", args: [{ text: "from-node" }] });
  await until("the standalone members got the Node node's broadcast", () => senderGot.length === 1 && got[0].length === 2);
  assert.deepEqual(senderGot[0][0], { text: "from-node" }, "the sender's own publish never came back to it");
});

test("the emitter reaches the standalone nodes' members: rooms, except, join, leave, disconnect", { skip: SHARDED !== "" }, async () => {
  const members = [await connect(SWITCHBOARD[0], "e0"), await connect(SWITCHBOARD[1], "e1")];
  const skipped = await connect(SWITCHBOARD[1], "e-skipped");
  for (const s of [...members, skipped]) await join(s, "mix:emitted");
  await join(skipped, "mix:skip");
  const got = members.map((m) => collect(m, "news"));
  const none = collect(skipped, "news");
  emitter.to("mix:emitted").except("mix:skip").emit("news", { n: 1 });
  await until("members got the emitter's broadcast", () => got.every((g) => g.length === 1));
  const fence = collect(skipped, "fence");
  emitter.to("mix:skip").emit("fence");
  await until("the fence arrived", () => fence.length === 1);
  assert.deepEqual(none, []);

  emitter.in("mix:emitted").socketsJoin("mix:joined");
  const joined = members.map((m) => collect(m, "joined"));
  await until("the join reached both nodes", async () => {
    emitter.to("mix:joined").emit("joined");
    await new Promise((r) => setTimeout(r, 50));
    return joined.every((j) => j.length >= 1);
  });
  emitter.in("mix:emitted").socketsLeave("mix:joined");
  const before = joined.map((j) => j.length);
  const fence2 = collect(skipped, "fence2");
  emitter.to("mix:joined").emit("joined");
  emitter.to("mix:skip").emit("fence2");
  await until("the second fence arrived", () => fence2.length === 1);
  assert.deepEqual(joined.map((j) => j.length), before, "after leaving, the room's broadcast reaches no one");

  const gone = members.map((m) => new Promise((resolve) => m.once("disconnect", resolve)));
  emitter.in("mix:emitted").except("mix:skip").disconnectSockets(true);
  await Promise.all(gone);
  assert.equal(skipped.connected, true);
});

test("presence still spans the Switchboard nodes", async () => {
  const here = await connect(SWITCHBOARD[0], "watcher");
  await join(here, "mix:doc");
  await join(await connect(SWITCHBOARD[1], "grace"), "mix:doc");
  const ids = async () => (await here.emitWithAck("presence:list", { room: "mix:doc" })).members.map((m) => m.id).sort();
  await until("both are listed", async () => (await ids()).length === 2);
  assert.deepEqual(await ids(), ["grace", "watcher"]);
});
