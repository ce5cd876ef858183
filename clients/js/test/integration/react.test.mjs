// The React hooks (@switchboard/client/react) rendered with react-test-renderer against a real
// Switchboard with JWT authentication (SWITCHBOARD_URL, JWT_SECRET; --call-mesh-limit 2).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createElement } from "react";
import { create } from "react-test-renderer";
import { EventSource } from "eventsource";
import { io } from "socket.io-client";
import { useCall, usePresence, useRoom, useSSE, useSocket } from "../../src/react.js";
import { token, until } from "./jwt.mjs";

// Updates come from the network, not from the test: React schedules them as in an app, no act().
globalThis.IS_REACT_ACT_ENVIRONMENT = false;
const SERVER = process.env.SWITCHBOARD_URL;
const cleanups = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

let rooms = 0;
const freshRoom = (prefix = "react") => `${prefix}-${process.pid}-${++rooms}`;

/** Renders `hook(props)` in a component; `seen.at(-1)` is its latest result. */
async function render(hook, props) {
  const seen = [];
  function Probe(p) {
    seen.push(hook(p));
    return null;
  }
  const renderer = create(createElement(Probe, props));
  let mounted = true;
  const unmount = () => { if (mounted) renderer.unmount(); mounted = false; };
  cleanups.push(unmount);
  await until("the first render", () => seen.length > 0);
  return { seen, latest: () => seen.at(-1), update: (next) => renderer.update(createElement(Probe, next)), unmount };
}

/** Waits, letting React apply state updates, until `check()` holds. */
const settle = until;

async function plainSocket(sub) {
  const socket = io(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, auth: { token: token(sub) } });
  cleanups.push(() => socket.disconnect());
  await new Promise((resolve, reject) => { socket.once("connect", resolve); socket.once("connect_error", reject); });
  return socket;
}

/** A member with useSocket + useRoom + usePresence of `room`. */
function member(sub, room) {
  // One token for the member's life: a token made in each render changes with the second of its
  // expiry, and a new token connects again (useSocket), which a render must not do by chance.
  const memberToken = token(sub);
  return render(({ name }) => {
    const { socket, connected } = useSocket(SERVER, { token: memberToken, transports: ["websocket"], forceNew: true });
    const { joined, error } = useRoom(socket, name);
    const members = usePresence(socket && name ? socket.room(name) : null);
    return { socket, connected, joined, error, ids: members.map((m) => m.id).sort().join(",") };
  }, { name: room });
}

test("useSocket, useRoom and usePresence: two members see each other, leave on unmount, disconnect", async () => {
  const room = freshRoom();
  const ada = await member("ada", room);
  const bob = await member("bob", room);
  await settle("both joined and see both", () => ada.latest().ids === "ada,bob" && bob.latest().ids === "ada,bob");
  assert.equal(ada.latest().connected, true);
  assert.equal(ada.latest().joined, true);
  const socket = bob.latest().socket;

  bob.unmount();
  await settle("ada sees bob gone", () => ada.latest().ids === "ada");
  assert.equal(socket.connected, false, "the unmounted member's socket is closed");

  ada.update({ name: null });
  await settle("ada's list is empty", () => ada.latest().ids === "");
  assert.equal(ada.latest().socket.room(room).joined, false, "changing the room leaves the old one");
});

test("useSocket reports the offline queue's pending count", async () => {
  const room = freshRoom();
  const cyToken = token("cy");
  const probe = await render(() => useSocket(SERVER, { token: cyToken, transports: ["websocket"], forceNew: true }), {});
  await settle("connected", () => probe.latest().connected);
  const { socket } = probe.latest();
  socket.disconnect();
  await settle("disconnected", () => !probe.latest().connected);
  const sent = socket.room(room).publish("chat", { text: "later" });
  await settle("one pending", () => probe.latest().pending === 1);
  socket.connect();
  await sent;
  await settle("none pending", () => probe.latest().pending === 0);
});

test("useSSE calls back with the guide's notification events, and takes a new callback without a new stream", async () => {
  const room = freshRoom();
  const got = [];
  let asked = 0;
  const probe = await render(({ on }) => useSSE(room, (data) => on(data), { url: SERVER, EventSource, getToken: () => (asked++, token("dee")) }),
    { on: (data) => got.push(data) });
  await settle("open", () => probe.latest().open);
  const publisher = await plainSocket("publisher");
  await publisher.emitWithAck("room:join", { room });
  await publisher.emitWithAck("room:publish", { room, event: "notification", data: { title: "one" } });
  await settle("notified", () => got.length === 1);
  // a new callback is used without reopening the stream
  const renders = probe.seen.length;
  probe.update({ on: (data) => got.push({ again: data.title }) });
  await settle("rendered with the new callback", () => probe.seen.length > renders);
  await publisher.emitWithAck("room:publish", { room, event: "notification", data: { title: "two" } });
  await settle("notified again", () => got.length === 2);
  assert.deepEqual(got, [{ title: "one" }, { again: "two" }]);
  assert.equal(asked, 1, "one stream opened");
});

test("useCall reports CALL_FULL, with the limit, when the call has no place left", async () => {
  const room = freshRoom("call:react");
  for (const sub of ["eve", "fay"]) {
    const s = await plainSocket(sub);
    assert.equal((await s.emitWithAck("room:join", { room })).ok, true);
  }
  class NeverUsed { constructor() { throw new Error("a full call opens no peer connection"); } }
  const gilToken = token("gil");
  const probe = await render(() => {
    const { socket } = useSocket(SERVER, { token: gilToken, transports: ["websocket"], forceNew: true });
    return useCall(socket, room, { RTCPeerConnection: NeverUsed });
  }, {});
  await settle("refused", () => probe.latest().error !== null);
  const { error, call, peers } = probe.latest();
  assert.equal(error.code, "CALL_FULL");
  assert.equal(error.limit, 2);
  assert.equal(call, null);
  assert.deepEqual(peers, []);
});
