// The Admin UI's protocol (spoken by the official socket.io-client, as the UI does) against two
// standalone nodes on one Redis (NODE_A, NODE_B): a session made on one node is accepted by the
// other, the stats of both nodes and the sockets of both reach an admin connected to one, an
// action on a socket of the other node works; malformed actions, actions in read-only mode
// (READONLY_URL) and admin events sent on "/" by a plain client are refused and disturb nothing.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { client, disconnected } from "./support.mjs";

const A = process.env.NODE_A;
const B = process.env.NODE_B;
const READONLY = process.env.READONLY_URL;
const PASSWORD = process.env.ADMIN_PASSWORD;
const WAIT = 10000;

function admin(url, auth) {
  return io(url + "/admin", { forceNew: true, reconnection: false, transports: ["websocket"], auth });
}

/** Connects an admin, collecting what it is sent; resolves once `config` came. */
async function connectAdmin(url, auth = { username: "admin", password: PASSWORD }) {
  const socket = admin(url, auth);
  socket.got = { session: [], config: [], server_stats: [], all_sockets: [], live: [] };
  for (const event of ["session", "config", "server_stats", "all_sockets"]) {
    socket.on(event, (...args) => socket.got[event].push(args));
  }
  socket.onAny((event, ...args) => socket.got.live.push([event, ...args]));
  await new Promise((resolve, reject) => {
    socket.once("connect_error", reject);
    socket.once("config", resolve);
  });
  return socket;
}

async function until(check, what) {
  const end = Date.now() + WAIT;
  for (;;) {
    const value = check();
    if (value) {
      return value;
    }
    if (Date.now() > end) {
      throw new Error("timed out waiting for " + what);
    }
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("Admin UI protocol on a two-node cluster", { timeout: 90000 }, () => {
  let onA;
  let onB;
  let ui;

  before(async () => {
    onA = await client(A);
    onB = await client(B);
    assert.equal((await onB.timeout(WAIT).emitWithAck("room:join", { room: "on-b" })).ok, true);
  });

  after(() => {
    onA?.disconnect();
    onB?.disconnect();
    ui?.disconnect();
  });

  it("refuses a wrong password with exactly 'invalid credentials'", async () => {
    const socket = admin(A, { username: "admin", password: "nope" });
    const error = await new Promise((resolve) => socket.once("connect_error", resolve));
    assert.equal(error.message, "invalid credentials");
    socket.close();
  });

  it("logs in on A and reconnects to B with the session alone", async () => {
    ui = await connectAdmin(A);
    const [[sessionId]] = await until(() => ui.got.session.length && ui.got.session, "session");
    assert.match(sessionId, /^[0-9a-f]{16}$/);
    assert.deepEqual(ui.got.config[0][0].supportedFeatures,
      ["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT", "AGGREGATED_EVENTS", "ALL_EVENTS"]);
    const again = await connectAdmin(B, { sessionId });
    assert.equal(again.got.session.length, 0);
    again.close();
  });

  it("gets the stats of both nodes and the sockets of both", async () => {
    const servers = await until(() => {
      const ids = new Set(ui.got.server_stats.map(([stats]) => stats.serverId));
      return ids.size >= 2 && ids;
    }, "server_stats of two nodes");
    assert.equal(servers.size, 2);
    const stats = ui.got.server_stats.at(-1)[0];
    for (const field of ["serverId", "hostname", "pid", "uptime", "clientsCount", "pollingClientsCount", "namespaces", "aggregatedEvents"]) {
      assert.ok(field in stats, "server_stats has " + field);
    }
    assert.ok(!stats.namespaces.some((nsp) => nsp.name === "/admin"), "the admin namespace is not reported");
    const [[sockets]] = await until(() => ui.got.all_sockets.length && ui.got.all_sockets, "all_sockets");
    const ids = sockets.map((socket) => socket.id);
    assert.ok(ids.includes(onA.id) && ids.includes(onB.id), "all_sockets lists the sockets of both nodes: " + ids);
    const b = sockets.find((socket) => socket.id === onB.id);
    assert.deepEqual(b.rooms.sort(), [onB.id, "on-b"].sort());
    assert.equal(b.nsp, "/");
    assert.equal(b.transport, "websocket");
    assert.equal(b.clientId.length, 12);
    assert.ok(!("auth" in b.handshake));
    assert.ok(!sockets.some((socket) => socket.nsp === "/admin"), "admin sockets are not listed");
    console.log(`sizes: server_stats ${JSON.stringify(stats).length} bytes, one socket in all_sockets ${JSON.stringify(b).length} bytes`);
  });

  it("reports live events of the other node's sockets", async () => {
    ui.got.live.length = 0;
    const late = await client(B);
    await until(() => ui.got.live.some(([event, socket]) => event === "socket_connected" && socket.id === late.id), "socket_connected");
    await late.timeout(WAIT).emitWithAck("room:join", { room: "late" });
    await until(() => ui.got.live.some(([event, nsp, room, id]) => event === "room_joined" && room === "late" && id === late.id), "room_joined");
    await until(() => ui.got.live.some(([event, nsp, id, args]) => event === "event_received" && id === late.id && args[0] === "room:join"), "event_received");
    const lateId = late.id;
    late.disconnect();
    await until(() => ui.got.live.some(([event, nsp, id, reason]) => event === "socket_disconnected" && id === lateId
      && reason === "client namespace disconnect"), "socket_disconnected");
    await until(() => ui.got.live.some(([event, nsp, room, id]) => event === "room_left" && room === "late" && id === lateId), "room_left");
    const sizes = ui.got.live.map((message) => JSON.stringify(message).length);
    console.log(`sizes: live messages ${JSON.stringify(ui.got.live.map((m, i) => [m[0], sizes[i]]))}`);
  });

  it("makes a socket of the other node join a room, and disconnects it", async () => {
    ui.emit("join", "/", "picked", onB.id);
    await until(() => ui.got.live.some(([event, nsp, room, id]) => event === "room_joined" && room === "picked" && id === onB.id), "join on B");
    const reason = disconnected(onB);
    ui.emit("_disconnect", "/", false, onB.id);
    assert.equal(await reason, "io server disconnect");
    assert.equal(onA.connected, true);
  });

  it("refuses malformed actions with an error and keeps going", async () => {
    const bad = [
      ["join"], ["join", 42, "room", onA.id], ["join", "/", "", onA.id], ["join", "/nope", "room", onA.id],
      ["join", "/admin", "room"], ["leave", "/", {}], ["_disconnect", "/", "yes", onA.id], ["_disconnect"],
      ["emit", "/", onA.id, "connect"], ["emit", "/", 7, "hello"], ["emit"],
    ];
    for (const [event, ...args] of bad) {
      const answer = await ui.timeout(WAIT).emitWithAck(event, ...args);
      assert.equal(answer.ok, false, `${event} ${JSON.stringify(args)} is refused`);
      assert.ok(answer.error.code && answer.error.message);
    }
    assert.equal(onA.connected, true);
    assert.equal(ui.connected, true);
    const got = new Promise((resolve) => onA.once("hello", resolve));
    assert.deepEqual(await ui.timeout(WAIT).emitWithAck("emit", "/", onA.id, "hello", { n: 1 }), { ok: true });
    assert.deepEqual(await got, { n: 1 });
  });

  it("ignores admin events a plain client sends on /", async () => {
    const answer = await onA.timeout(WAIT).emitWithAck("_disconnect", "/", true);
    assert.equal(answer.ok, false);
    onA.emit("join", "/", "sneaky");
    onA.emit("emit", "/", null, "boom");
    const probe = await onA.timeout(WAIT).emitWithAck("room:join", { room: "still-here" });
    assert.equal(probe.ok, true);
    assert.equal(onA.connected, true);
  });

  it("refuses every action in read-only mode", { skip: !READONLY }, async () => {
    const readonly = await connectAdmin(READONLY);
    const supported = readonly.got.config[0][0].supportedFeatures;
    assert.deepEqual(supported, ["AGGREGATED_EVENTS", "ALL_EVENTS"]);
    const victim = await client(READONLY);
    for (const [event, ...args] of [["_disconnect", "/", false, victim.id], ["join", "/", "r", victim.id],
      ["leave", "/", victim.id, victim.id], ["emit", "/", victim.id, "hello"]]) {
      const answer = await readonly.timeout(WAIT).emitWithAck(event, ...args);
      assert.equal(answer.ok, false);
      assert.equal(answer.error.code, "READONLY");
    }
    assert.equal(victim.connected, true);
    victim.disconnect();
    readonly.close();
  });
});
