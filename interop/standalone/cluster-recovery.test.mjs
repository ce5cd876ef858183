// Connection state recovery across the nodes of a cluster sharing one Redis: a client that drops
// from one node and comes back on another (or on a node started after its own stopped) keeps its
// id and rooms and gets what it missed, once and in order.
//
// SWITCHBOARD_URL_FROM: the node the client first connects to; SWITCHBOARD_URL_PUBLISH: the node
// the publisher uses; SWITCHBOARD_URL_TO: the node it comes back to, or SWITCHBOARD_URL_TO_FILE:
// a file that will hold that node's URL (written once the first node has been stopped);
// SWITCHBOARD_TOKEN_ALICE / _BOB: the users' tokens. SWITCHBOARD_DROP: "client" (the client drops
// its transport) or "server" (the first node stops). SWITCHBOARD_ROOM, or SWITCHBOARD_ROOMS: rooms
// (comma-separated) the messages go to in turn; with several, each is in its room's history
// before the next is published, so that they have one order.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { io } from "socket.io-client";

const FROM = process.env.SWITCHBOARD_URL_FROM;
const PUBLISH = process.env.SWITCHBOARD_URL_PUBLISH;
const DROP = process.env.SWITCHBOARD_DROP ?? "client";
const WAIT_MS = 10000;
const ROOMS = (process.env.SWITCHBOARD_ROOMS ?? process.env.SWITCHBOARD_ROOM ?? "recovery").split(",");
const opened = [];

after(() => {
  for (const s of opened) s.disconnect();
});

function client(url, token) {
  const socket = io(url, { forceNew: true, reconnection: false, transports: ["websocket"], timeout: WAIT_MS, auth: { token } });
  opened.push(socket);
  return socket;
}

function connected(socket) {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve(socket);
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function until(what, check) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function targetUrl() {
  if (process.env.SWITCHBOARD_URL_TO) return process.env.SWITCHBOARD_URL_TO;
  const file = process.env.SWITCHBOARD_URL_TO_FILE;
  if (!existsSync(file)) return null;
  const url = readFileSync(file, "utf8").trim();
  return url.length > 0 ? url : null;
}

async function publish(bob, n) {
  const room = ROOMS[(n - 1) % ROOMS.length];
  const answer = await bob.emitWithAck("room:publish", { room, event: "chat", data: { n } });
  assert.equal(answer.ok, true, JSON.stringify(answer));
  if (ROOMS.length > 1) {
    await until(`${n} is in the history of ${room}`, async () => {
      const history = await bob.emitWithAck("history", { room });
      return history.ok && history.messages.some((m) => m.data.n === n);
    });
  }
}

test(`a client dropped (${DROP}) recovers on another node with what it missed`, async () => {
  const alice = await connected(client(FROM, process.env.SWITCHBOARD_TOKEN_ALICE));
  const bob = await connected(client(PUBLISH, process.env.SWITCHBOARD_TOKEN_BOB));
  const got = [];
  alice.on("chat", (data) => got.push(data.n));
  for (const room of ROOMS) {
    assert.equal((await alice.emitWithAck("room:join", { room })).ok, true);
    assert.equal((await bob.emitWithAck("room:join", { room })).ok, true);
  }
  const firstId = alice.id;

  const dropped = new Promise((resolve) => alice.once("disconnect", resolve));
  for (const n of [1, 2, 3]) await publish(bob, n);
  if (DROP === "client") {
    await until("alice has 1..3", () => got.length === 3);
    alice.io.engine.close();
  }
  await dropped;
  if (DROP === "client") {
    // The node that lost alice keeps her state in Redis before her presence is gone. (A node that
    // stops hands her presence over instead: there the URL of the node to come back to, written
    // once the stopped node has closed, is what tells that her state is kept.)
    await until("alice has left the room's presence", async () => {
      const answer = await bob.emitWithAck("presence:list", { room: ROOMS[0] });
      return answer.ok && !answer.members.some((m) => m.id === "alice");
    });
  }

  for (const n of [4, 5, 6]) await publish(bob, n);
  let to = null;
  await until("the node to come back to is known", () => (to = targetUrl()) !== null);
  alice.io.uri = to;
  alice.connect();
  await connected(alice);
  assert.equal(alice.recovered, true, "socket.recovered");
  assert.equal(alice.id, firstId, "same socket id");
  await until("alice has 1..6", () => got.length >= 6);

  await publish(bob, 7);
  await until("alice has 7", () => got.length >= 7);
  assert.deepEqual(got, [1, 2, 3, 4, 5, 6, 7]);
  for (const room of ROOMS) {
    const history = await alice.emitWithAck("history", { room });
    assert.equal(history.ok, true, `still a member of ${room}: ` + JSON.stringify(history));
  }
});
