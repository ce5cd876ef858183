// WebRTC signaling without authentication, users named by the handshake's auth.user.id:
// SWITCHBOARD_OPEN_URL serves --webrtc-signaling open, SWITCHBOARD_URL the default call-rooms.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const OPEN = process.env.SWITCHBOARD_OPEN_URL;
const CALL_ROOMS = process.env.SWITCHBOARD_URL;
const opened = [];
let unique = 0;

afterEach(() => {
  for (const s of opened.splice(0)) s.disconnect();
});

function fresh(name) {
  return `${name}-${process.pid}-${++unique}`;
}

function connect(url, id) {
  const socket = io(url, { forceNew: true, transports: ["websocket"], reconnection: false, auth: id ? { user: { id } } : {} });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

const offer = { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" };

function refusedWith(answer, code) {
  assert.equal(answer.ok, false, JSON.stringify(answer));
  assert.equal(answer.error.code, code, JSON.stringify(answer));
}

test("open signaling: any two users, no call needed; a user with no connection is UNKNOWN_USER", async () => {
  const ada = fresh("ada");
  const bob = fresh("bob");
  const caller = await connect(OPEN, ada);
  const callee = await connect(OPEN, bob);
  const got = new Promise((resolve) => callee.once("webrtc:offer", resolve));
  assert.deepEqual(await caller.emitWithAck("webrtc:offer", { to: bob, sdp: offer }), { ok: true });
  assert.deepEqual(await got, { from: ada, sdp: offer });
  refusedWith(await caller.emitWithAck("webrtc:offer", { to: fresh("nobody"), sdp: offer }), "UNKNOWN_USER");
  callee.disconnect();
  // Gone once the server has handled the disconnection and the caller's last check (reused for 1 s) is old.
  const deadline = Date.now() + 5000;
  let answer;
  for (;;) {
    answer = await caller.emitWithAck("webrtc:ice-candidate", { to: bob, candidate: { candidate: "", sdpMid: "0" } });
    if (!answer.ok || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  refusedWith(answer, "UNKNOWN_USER");
});

test("a connection without a user id cannot signal: AUTH_REQUIRED", async () => {
  const anonymous = await connect(OPEN);
  const bob = fresh("bob");
  await connect(OPEN, bob);
  refusedWith(await anonymous.emitWithAck("webrtc:offer", { to: bob, sdp: offer }), "AUTH_REQUIRED");
});

test("call rooms without authentication: auth.user.id names the users", async () => {
  const ada = fresh("ada");
  const bob = fresh("bob");
  const room = fresh("call:open-auth");
  const caller = await connect(CALL_ROOMS, ada);
  const callee = await connect(CALL_ROOMS, bob);
  refusedWith(await caller.emitWithAck("webrtc:offer", { to: bob, sdp: offer }), "NOT_IN_CALL");
  for (const s of [caller, callee]) assert.deepEqual(await s.emitWithAck("room:join", { room }), { ok: true });
  const got = new Promise((resolve) => callee.once("webrtc:offer", resolve));
  assert.deepEqual(await caller.emitWithAck("webrtc:offer", { to: bob, sdp: offer }), { ok: true });
  assert.deepEqual(await got, { from: ada, sdp: offer });
  // The server put each in its user room; a client still cannot join another user's.
  refusedWith(await caller.emitWithAck("room:join", { room: `user:${bob}` }), "FORBIDDEN_ROOM");
});
