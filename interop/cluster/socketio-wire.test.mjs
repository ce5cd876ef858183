// A mixed cluster: this script's own Node node (socket.io 4.8 + @socket.io/redis-adapter 8.x) and
// two Switchboard nodes on --redis-wire socketio, all on one Redis; official clients on each node
// drive every server operation from either side, and @socket.io/redis-emitter reaches them all.
// Every node answers the same control events (do:emit, do:fetch, ...), so each operation runs
// once from the Node node and once from a Switchboard node.
// With SHARDED=<subscriptionMode> the Node node uses createShardedAdapter instead (the Switchboard
// nodes are then on --redis-wire socketio-sharded; REDIS_URL may be a redis-cluster:// one): the
// emitter and allRooms, which that adapter does not carry, are left out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Emitter } from "@socket.io/redis-emitter";
import { io as connectClient } from "socket.io-client";
import { startNode } from "./socketio-node.mjs";

const REDIS_URL = process.env.REDIS_URL;
const SHARDED = process.env.SHARDED ?? "";
const [SB1, SB2] = process.env.SWITCHBOARD_URLS.split(",");
const WAIT_MS = 5000;
const opened = [];
let nodeServer, emitter, NODE;

before(async () => {
  nodeServer = await startNode(REDIS_URL, "node", SHARDED);
  NODE = nodeServer.url;
  emitter = SHARDED ? null : new Emitter(nodeServer.pub);
});

after(async () => {
  for (const s of opened.splice(0)) s.disconnect();
  await nodeServer.close();
});

/** An official client of the node at `url` (namespace `nsp`), named `name`. */
async function connect(url, name, nsp = "/") {
  const socket = connectClient(url + nsp, { forceNew: true, transports: ["websocket"], reconnection: false,
    query: { name }, auth: { name } });
  opened.push(socket);
  socket.on("poll", (question, ack) => ack(`${name}:${question}`));
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

async function join(socket, room) {
  assert.deepEqual(await socket.emitWithAck("room:join", { room }), { ok: true });
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

/** Three clients, one per node, in `room`, and one outsider per node. */
async function cluster(room, nsp = "/") {
  const members = [await connect(NODE, `n-${room}`, nsp), await connect(SB1, `s1-${room}`, nsp), await connect(SB2, `s2-${room}`, nsp)];
  for (const m of members) await join(m, room);
  const outsiders = [await connect(NODE, `no-${room}`, nsp), await connect(SB1, `so-${room}`, nsp)];
  return { members, outsiders };
}

test("every node knows which node it is", async () => {
  for (const [url, name] of [[NODE, "node"], [SB1, "sb1"], [SB2, "sb2"]]) {
    assert.equal(await (await connect(url, `who-${name}`)).emitWithAck("whoami"), name);
  }
});

test("room broadcasts from a Node node and from a Switchboard node reach every member, binary included", async () => {
  const { members, outsiders } = await cluster("bcast");
  const got = members.map((m) => collect(m, "news"));
  const stray = outsiders.map((o) => collect(o, "news"));
  await members[0].emitWithAck("do:emit", { to: ["bcast"], event: "news", args: ["from-node", { n: 1 }], binary: true });
  await members[1].emitWithAck("do:emit", { to: ["bcast"], event: "news", args: ["from-sb1", { n: 2 }], binary: true });
  await until("each member got both", () => got.every((g) => g.length === 2));
  for (const g of got) {
    assert.deepEqual(g.map((args) => args[0]).sort(), ["from-node", "from-sb1"]);
    for (const args of g) {
      assert.ok(Buffer.isBuffer(args[2]) || args[2] instanceof ArrayBuffer, `binary arrives as binary: ${typeof args[2]}`);
      assert.deepEqual([...new Uint8Array(args[2])], [1, 2, 3]);
    }
  }
  // A whole-namespace broadcast after the room ones: outsiders got nothing of the room.
  const everyone = outsiders.map((o) => collect(o, "all"));
  await members[2].emitWithAck("do:emit", { event: "all", args: ["from-sb2"] });
  await until("outsiders got the namespace broadcast", () => everyone.every((e) => e.length === 1));
  assert.deepEqual(stray, [[], []]);
});

test("except and several rooms, both ways, each member once", async () => {
  const a = await cluster("multi-a");
  const b = await cluster("multi-b");
  const skipped = await connect(SB2, "skipped");
  await join(skipped, "multi-a");
  await join(skipped, "multi-skip");
  const receivers = [...a.members, ...b.members];
  for (const [from, tag] of [[a.members[0], "node"], [a.members[1], "sb1"]]) {
    const got = receivers.map((m) => collect(m, `multi-${tag}`));
    const none = collect(skipped, `multi-${tag}`);
    await from.emitWithAck("do:emit", { to: ["multi-a", "multi-b"], except: ["multi-skip"], event: `multi-${tag}`, args: [tag] });
    await until(`every member of either room got the one from ${tag}`, () => got.every((g) => g.length >= 1));
    // A later broadcast to the skipped socket's own room proves the earlier one had its chance.
    const fence = collect(skipped, `fence-${tag}`);
    await from.emitWithAck("do:emit", { to: ["multi-skip"], event: `fence-${tag}`, args: [] });
    await until("the fence arrived", () => fence.length === 1);
    assert.deepEqual(none, [], `except skipped the member (from ${tag})`);
    assert.ok(got.every((g) => g.length === 1), `each member got it once (from ${tag})`);
  }
});

test("volatile broadcasts are carried both ways", async () => {
  const { members } = await cluster("vol");
  const got = members.map((m) => collect(m, "vol"));
  await members[0].emitWithAck("do:emit", { to: ["vol"], event: "vol", args: ["n"], volatile: true });
  await members[2].emitWithAck("do:emit", { to: ["vol"], event: "vol", args: ["s"], volatile: true });
  await until("volatile messages arrived", () => got.every((g) => g.length === 2));
});

test("fetchSockets from either side sees every node's sockets with the handshake shape Node code reads", async () => {
  const { members } = await cluster("fetch");
  for (const asker of [members[0], members[1]]) {
    const sockets = await asker.emitWithAck("do:fetch", { to: ["fetch"] });
    assert.deepEqual(sockets.map((s) => s.id).sort(), members.map((m) => m.id).sort());
    for (const s of sockets) {
      assert.ok(s.rooms.includes("fetch") && s.rooms.includes(s.id), JSON.stringify(s.rooms));
      assert.equal(typeof s.issued, "number");
      assert.ok(Math.abs(Date.now() - s.issued) < 60_000, `issued ${s.issued}`);
      assert.equal(s.auth.name, s.query.name);
      assert.ok(["node", "sb1", "sb2"].includes(s.data.node), JSON.stringify(s.data));
      if (s.time !== undefined) assert.equal(typeof s.time, "string", "Node code reads handshake.time as a date's text");
    }
  }
});

test("socketsJoin, socketsLeave and disconnectSockets from either side act on every node", async () => {
  const { members } = await cluster("ops");
  for (const [asker, tag] of [[members[0], "node"], [members[1], "sb1"]]) {
    const room = `joined-${tag}`;
    assert.equal(await asker.emitWithAck("do:join", { to: ["ops"], rooms: [room] }), "joined");
    const sockets = await until(`every member joined ${room}`, async () =>
      (await asker.emitWithAck("do:fetch", { to: [room] })).length === 3);
    const got = members.map((m) => collect(m, `in-${room}`));
    await members[2].emitWithAck("do:emit", { to: [room], event: `in-${room}`, args: [] });
    await until(`members of ${room} got its broadcast`, () => got.every((g) => g.length === 1));

    assert.equal(await asker.emitWithAck("do:leave", { to: ["ops"], rooms: [room] }), "left");
    await until(`every member left ${room}`, async () => (await asker.emitWithAck("do:fetch", { to: [room] })).length === 0);
  }
  const victims = [await connect(NODE, "victim-n"), await connect(SB1, "victim-s1"), await connect(SB2, "victim-s2")];
  for (const v of victims) await join(v, "doomed");
  const gone = victims.map((v) => new Promise((resolve) => v.once("disconnect", resolve)));
  assert.equal(await members[1].emitWithAck("do:disconnect", { to: ["doomed"] }), "disconnected");
  await Promise.all(gone);
  const more = [await connect(NODE, "victim2-n"), await connect(SB2, "victim2-s2")];
  for (const v of more) await join(v, "doomed2");
  const gone2 = more.map((v) => new Promise((resolve) => v.once("disconnect", resolve)));
  assert.equal(await members[0].emitWithAck("do:disconnect", { to: ["doomed2"] }), "disconnected");
  await Promise.all(gone2);
  assert.ok(members.every((m) => m.connected), "the others stay connected");
});

test("serverSideEmit with and without acknowledgement from either side", async () => {
  const [n, s1, s2] = [await connect(NODE, "sse-n"), await connect(SB1, "sse-s1"), await connect(SB2, "sse-s2")];
  const fromNode = await n.emitWithAck("do:ask", { question: "q1" });
  assert.deepEqual(fromNode.answers?.sort(), ["sb1:q1", "sb2:q1"], JSON.stringify(fromNode));
  const fromSb = await s1.emitWithAck("do:ask", { question: "q2" });
  assert.deepEqual(fromSb.answers?.sort(), ["node:q2", "sb2:q2"], JSON.stringify(fromSb));

  const told = [n, s1, s2].map((c) => collect(c, "told"));
  await s2.emitWithAck("do:tell", { what: "from-sb2" });
  await n.emitWithAck("do:tell", { what: "from-node" });
  await until("the other nodes' listeners ran", () => told[0].length === 1 && told[1].length === 2 && told[2].length === 1);
  assert.deepEqual(told[0], [["node", "from-sb2"]]);
  assert.deepEqual(told[1].map((t) => t[1]).sort(), ["from-node", "from-sb2"]);
  assert.deepEqual(told[2], [["sb2", "from-node"]]);
});

test("broadcasts with acknowledgements from either side collect every node's answers", async () => {
  const { members } = await cluster("poll");
  for (const [asker, tag] of [[members[0], "node"], [members[1], "sb1"]]) {
    const reply = await asker.emitWithAck("do:poll", { to: ["poll"], event: "poll", question: tag });
    assert.deepEqual(reply.answers?.sort(), members.map((m) => m.io.opts.query.name + ":" + tag).sort(), JSON.stringify(reply));
  }
});

/** Subscribers of the sharded channel `channel`, on every master of a Redis Cluster. */
async function shardSubscribers(channel) {
  const pub = nodeServer.pub;
  const clients = Array.isArray(pub.masters) ? pub.masters.map((master) => master.client) : [pub];
  const replies = await Promise.all(clients.map((c) => c.sendCommand(["PUBSUB", "SHARDNUMSUB", channel])));
  return replies.reduce((sum, reply) => sum + Number(reply[1]), 0);
}

test("a Switchboard node subscribes a room's own channel while it has members in it", { skip: SHARDED !== "dynamic" }, async () => {
  const channel = "socket.io#/#lonely#";
  assert.equal(await shardSubscribers(channel), 0);
  const member = await connect(SB1, "lonely-s1");
  await join(member, "lonely");
  assert.equal(await shardSubscribers(channel), 1);
  const got = collect(member, "alone");
  const n = await connect(NODE, "lonely-n");
  await n.emitWithAck("do:emit", { to: ["lonely"], event: "alone", args: ["from-node"] });
  await until("the only member got the Node node's broadcast", () => got.length === 1);
  member.disconnect();
  await until("the room's channel is left", async () => (await shardSubscribers(channel)) === 0);
});

test("allRooms from the Node node includes the Switchboard nodes' rooms", { skip: SHARDED !== "" }, async () => {
  const s = await connect(SB1, "rooms-s1");
  await join(s, "only-on-sb1");
  const n = await connect(NODE, "rooms-n");
  const rooms = await n.emitWithAck("do:rooms");
  assert.ok(rooms.includes("only-on-sb1") && rooms.includes(s.id), JSON.stringify(rooms));
});

test("namespaces other than the main one work both ways", async () => {
  const { members } = await cluster("chat-room", "/chat");
  const got = members.map((m) => collect(m, "chat"));
  await members[0].emitWithAck("do:emit", { to: ["chat-room"], event: "chat", args: ["from-node"] });
  await members[2].emitWithAck("do:emit", { to: ["chat-room"], event: "chat", args: ["from-sb2"] });
  await until("chat members got both", () => got.every((g) => g.length === 2));
  const sockets = await members[1].emitWithAck("do:fetch", { to: ["chat-room"] });
  assert.equal(sockets.length, 3);
});

test("the Redis emitter reaches the members on every node: rooms, except, namespaces, operations", { skip: SHARDED !== "" }, async () => {
  const { members, outsiders } = await cluster("emitted");
  const skipped = await connect(SB1, "emit-skipped");
  await join(skipped, "emitted");
  await join(skipped, "emit-skip");
  const got = members.map((m) => collect(m, "emitted"));
  const none = [...outsiders, skipped].map((o) => collect(o, "emitted"));
  emitter.to("emitted").except("emit-skip").emit("emitted", "hello", Buffer.from([4, 5]));
  await until("members got the emitter's broadcast", () => got.every((g) => g.length === 1));
  for (const g of got) {
    assert.equal(g[0][0], "hello");
    assert.deepEqual([...new Uint8Array(g[0][1])], [4, 5]);
  }
  const fence = collect(skipped, "fence");
  emitter.to("emit-skip").emit("fence");
  await until("the fence arrived", () => fence.length === 1);
  assert.deepEqual(none, [[], [], []]);

  const chat = [await connect(NODE, "emit-chat-n", "/chat"), await connect(SB2, "emit-chat-s2", "/chat")];
  const chatGot = chat.map((c) => collect(c, "chat-emitted"));
  emitter.of("/chat").emit("chat-emitted", 1);
  await until("chat clients got it", () => chatGot.every((g) => g.length === 1));

  emitter.in("emitted").socketsJoin("emit-joined");
  const probe = members[0];
  await until("every member joined", async () => (await probe.emitWithAck("do:fetch", { to: ["emit-joined"] })).length === 3);
  emitter.in("emitted").socketsLeave("emit-joined");
  await until("every member left", async () => (await probe.emitWithAck("do:fetch", { to: ["emit-joined"] })).length === 0);

  const told = members.map((m) => collect(m, "told"));
  emitter.serverSideEmit("tell", "from-emitter");
  await until("every node's listener ran", () => told.every((t) => t.length === 1));
  assert.deepEqual(told.map((t) => t[0][0]), ["node", "sb1", "sb2"]);

  const gone = members.map((m) => new Promise((resolve) => m.once("disconnect", resolve)));
  emitter.in("emitted").disconnectSockets(true);
  await Promise.all(gone);
});
