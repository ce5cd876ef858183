// WebRTC signaling through the standalone server (authenticated, mode call-rooms) with the official
// client: relay to every tab of the target, acknowledgements, each refusal code, hostile input, the
// mesh limit, and the latency from emit to receipt. SWITCHBOARD_URLS lists one node, or two nodes of
// a cluster: callers connect to the first, callees to the last.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { io } from "socket.io-client";

const NODES = process.env.SWITCHBOARD_URLS.split(",");
const SECRET = process.env.SWITCHBOARD_JWT_SECRET;
const LABEL = process.env.SWITCHBOARD_LABEL ?? `${NODES.length} node(s)`;
const CALLER = NODES[0];
const CALLEE = NODES[NODES.length - 1];
const WAIT_MS = 5000;
const opened = [];
let unique = 0;

afterEach(() => {
  for (const s of opened.splice(0)) s.disconnect();
});

const b64 = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** An HS256 token for `sub`, signed with the server's secret. */
function token(sub) {
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub, exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${unsigned}.${createHmac("sha256", SECRET).update(unsigned).digest("base64url")}`;
}

/** A user name no other test uses, so runs never see each other's calls. */
function fresh(name) {
  return `${name}-${process.pid}-${++unique}`;
}

function connect(url, sub) {
  const socket = io(url, { forceNew: true, transports: ["websocket"], reconnection: false, auth: { token: token(sub) } });
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

/** Collects the payloads of `event` in arrival order. */
function collect(socket, event) {
  const got = [];
  socket.on(event, (payload) => got.push(payload));
  return got;
}

async function until(what, check, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function refusedWith(answer, code) {
  assert.equal(answer.ok, false, JSON.stringify(answer));
  assert.equal(answer.error.code, code, JSON.stringify(answer));
  assert.equal(typeof answer.error.message, "string");
}

// What a browser's RTCSessionDescription and RTCIceCandidate serialize to.
const offer = (n = 0) => ({ type: "offer", sdp: `v=0\r\no=- ${n} 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n` });
const answerSdp = () => ({ type: "answer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" });
const candidate = (n) => ({
  candidate: `candidate:${n} 1 udp 2122260223 192.168.1.${n % 250} ${50000 + n} typ host generation 0`,
  sdpMid: "0",
  sdpMLineIndex: 0,
  usernameFragment: "abcd",
});

/** A caller (first node) and a callee with two tabs (last node), all in one fresh call. */
async function call() {
  const room = fresh("call:c");
  const callerId = fresh("ada");
  const calleeId = fresh("bob");
  const caller = await connect(CALLER, callerId);
  const tabs = [await connect(CALLEE, calleeId), await connect(CALLEE, calleeId)];
  for (const s of [caller, ...tabs]) await join(s, room);
  return { room, callerId, calleeId, caller, tabs };
}

test("an offer reaches every tab of the target with from, the answer and candidates come back, in order", async () => {
  const { callerId, calleeId, caller, tabs } = await call();
  const offers = tabs.map((tab) => collect(tab, "webrtc:offer"));
  const candidates = tabs.map((tab) => collect(tab, "webrtc:ice-candidate"));
  const answers = collect(caller, "webrtc:answer");
  const callerCandidates = collect(caller, "webrtc:ice-candidate");

  // As the guide's client does: no acknowledgement asked, candidates right behind the offer.
  caller.emit("webrtc:offer", { to: calleeId, sdp: offer() });
  for (let i = 0; i < 30; i++) caller.emit("webrtc:ice-candidate", { to: calleeId, candidate: candidate(i) });
  await until("both tabs have the offer and 30 candidates", () => offers.every((o) => o.length === 1)
    && candidates.every((c) => c.length === 30));
  for (let t = 0; t < 2; t++) {
    assert.deepEqual(offers[t][0], { from: callerId, sdp: offer() });
    assert.deepEqual(candidates[t].map((c) => c.candidate), Array.from({ length: 30 }, (_, i) => candidate(i)));
    assert.ok(candidates[t].every((c) => c.from === callerId));
  }

  const acked = await tabs[0].emitWithAck("webrtc:answer", { to: callerId, sdp: answerSdp() });
  assert.deepEqual(acked, { ok: true });
  assert.deepEqual(await tabs[1].emitWithAck("webrtc:ice-candidate", { to: callerId, candidate: candidate(7) }), { ok: true });
  await until("the caller has the answer and a candidate", () => answers.length === 1 && callerCandidates.length === 1);
  assert.deepEqual(answers[0], { from: calleeId, sdp: answerSdp() });
  assert.deepEqual(callerCandidates[0], { from: calleeId, candidate: candidate(7) });
});

test("an ICE restart offer passes like any other, end-of-candidates too, and only standard fields are relayed", async () => {
  const { callerId, calleeId, caller, tabs } = await call();
  const offers = collect(tabs[0], "webrtc:offer");
  const candidates = collect(tabs[0], "webrtc:ice-candidate");
  const restart = { type: "offer", sdp: "v=0\r\no=- 9 3 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-ufrag:new1\r\na=ice-pwd:restartrestartrestart\r\n", extra: "dropped" };
  assert.deepEqual(await caller.emitWithAck("webrtc:offer", { to: calleeId, sdp: restart, note: "dropped too" }), { ok: true });
  assert.deepEqual(await caller.emitWithAck("webrtc:ice-candidate", { to: calleeId, candidate: null }), { ok: true });
  assert.deepEqual(await caller.emitWithAck("webrtc:ice-candidate", { to: calleeId, candidate: { candidate: "", sdpMid: "0" } }), { ok: true });
  await until("the restart and both ends of candidates arrived", () => offers.length === 1 && candidates.length === 2);
  assert.deepEqual(offers[0], { from: callerId, sdp: { type: "offer", sdp: restart.sdp } });
  assert.deepEqual(candidates, [{ from: callerId, candidate: null }, { from: callerId, candidate: { candidate: "", sdpMid: "0" } }]);
});

test("malformed and hostile signals are refused INVALID_SIGNAL and reach nobody", async () => {
  const { callerId, calleeId, caller, tabs } = await call();
  const got = ["webrtc:offer", "webrtc:answer", "webrtc:ice-candidate"].map((e) => collect(tabs[0], e));
  const bad = [
    ["webrtc:offer", "hello"],
    ["webrtc:offer", 42],
    ["webrtc:offer", null],
    ["webrtc:offer", [calleeId, offer()]],
    ["webrtc:offer", { sdp: offer() }],
    ["webrtc:offer", { to: 7, sdp: offer() }],
    ["webrtc:offer", { to: "", sdp: offer() }],
    ["webrtc:offer", { to: "x".repeat(257), sdp: offer() }],
    ["webrtc:offer", { to: callerId, sdp: offer() }],
    ["webrtc:offer", { to: calleeId }],
    ["webrtc:offer", { to: calleeId, sdp: "v=0" }],
    ["webrtc:offer", { to: calleeId, sdp: { type: "answer", sdp: "v=0\r\n" } }],
    ["webrtc:offer", { to: calleeId, sdp: { type: "offer" } }],
    ["webrtc:offer", { to: calleeId, sdp: { type: "offer", sdp: "<script>alert(1)</script>" } }],
    ["webrtc:offer", { to: calleeId, sdp: { type: "offer", sdp: "v=0\r\n" + "a=x\r\n".repeat(20000) } }],
    ["webrtc:answer", { to: calleeId, sdp: offer() }],
    ["webrtc:answer", { to: calleeId, sdp: { type: "rollback", sdp: "" } }],
    ["webrtc:ice-candidate", { to: calleeId }],
    ["webrtc:ice-candidate", { to: calleeId, candidate: "candidate:1 1 udp 1 1.2.3.4 5 typ host" }],
    ["webrtc:ice-candidate", { to: calleeId, candidate: { sdpMid: "0" } }],
    ["webrtc:ice-candidate", { to: calleeId, candidate: { candidate: "c".repeat(4097) } }],
    ["webrtc:ice-candidate", { to: calleeId, candidate: { candidate: "c", sdpMLineIndex: -1 } }],
    ["webrtc:ice-candidate", { to: calleeId, candidate: { candidate: "c", sdpMid: { nested: true } } }],
  ];
  for (const [event, payload] of bad) {
    refusedWith(await caller.emitWithAck(event, payload), "INVALID_SIGNAL");
  }
  // The same without acknowledgements: dropped without a word, nothing delivered.
  const errors = collect(caller, "error");
  for (const [event, payload] of bad) caller.emit(event, payload);
  assert.deepEqual(await caller.emitWithAck("webrtc:offer", { to: calleeId, sdp: offer(1) }), { ok: true });
  await until("the good offer arrived", () => got[0].length === 1);
  assert.deepEqual(got.map((g) => g.length), [1, 0, 0]);
  assert.deepEqual(errors, []);
  assert.equal(caller.connected, true);
});

/**
 * Sends `payload` with an acknowledgement until `accepted(answer)`. On one node the first answer
 * must do: a connection hears of an offer to it before the offer arrives. Across nodes that notice
 * travels apart from the offer, so it may come a moment later.
 */
async function answeredAs(socket, event, payload, accepted) {
  let answer = await socket.emitWithAck(event, payload);
  if (NODES.length === 1) {
    assert.ok(accepted(answer), JSON.stringify(answer));
    return answer;
  }
  await until(`${event} is answered as expected`, async () => accepted(answer) || accepted(answer = await socket.emitWithAck(event, payload)));
  return answer;
}

// The pattern guide's callee does not know whom it talks to: its candidates and its ICE restart
// offer are sent with `to: remoteUserId`, undefined there, so without `to` at all.
test("a signal without to goes to the connection's current peer, as the guide's callee sends them", async () => {
  const { room, callerId, calleeId, caller, tabs } = await call();
  const [callee, otherTab] = tabs;
  const offers = collect(callee, "webrtc:offer");
  const callerCandidates = collect(caller, "webrtc:ice-candidate");
  const callerOffers = collect(caller, "webrtc:offer");
  const answers = collect(caller, "webrtc:answer");

  // Nothing exchanged yet: there is no current peer.
  for (const payload of [{ candidate: candidate(0) }, { to: null, candidate: candidate(0) }, { to: undefined, sdp: offer() }]) {
    const refused = await callee.emitWithAck(payload.sdp ? "webrtc:offer" : "webrtc:ice-candidate", payload);
    refusedWith(refused, "INVALID_SIGNAL");
    assert.match(refused.error.message, /to is required/);
  }

  // The caller offers, as the guide does (no acknowledgement): the callee's tabs now talk to it.
  caller.emit("webrtc:offer", { to: calleeId, sdp: offer() });
  await until("the callee has the offer", () => offers.length === 1);
  await answeredAs(callee, "webrtc:ice-candidate", { candidate: candidate(1) }, (a) => a.ok);

  // The guide's callee: answer to `from`, then candidates and an ICE restart offer with `to` undefined.
  const { from } = offers[0];
  callee.emit("webrtc:answer", { to: from, sdp: answerSdp() });
  const remoteUserId = undefined;
  for (let i = 2; i < 12; i++) callee.emit("webrtc:ice-candidate", { to: remoteUserId, candidate: candidate(i) });
  assert.deepEqual(await callee.emitWithAck("webrtc:offer", { to: remoteUserId, sdp: offer(7) }), { ok: true });
  await until("the caller has the answer, 11 candidates and the restart offer",
    () => answers.length === 1 && callerCandidates.length >= 11 && callerOffers.length === 1);
  assert.deepEqual(answers[0], { from: calleeId, sdp: answerSdp() });
  assert.deepEqual(callerCandidates.slice(-10), Array.from({ length: 10 }, (_, i) => ({ from: calleeId, candidate: candidate(i + 2) })));
  assert.deepEqual(callerOffers[0], { from: calleeId, sdp: offer(7) });

  // The same checks as with `to`: a tab that left the call no longer reaches its peer.
  await answeredAs(otherTab, "webrtc:ice-candidate", { candidate: candidate(20) }, (a) => a.ok);
  assert.deepEqual(await otherTab.emitWithAck("room:leave", { room }), { ok: true });
  refusedWith(await otherTab.emitWithAck("webrtc:ice-candidate", { candidate: candidate(21) }), "NOT_IN_CALL");

  // A second user offers the callee: two peers, so `to` must be named again; naming it still works.
  const thirdId = fresh("cy");
  const third = await connect(CALLER, thirdId);
  await join(third, room);
  assert.deepEqual(await third.emitWithAck("webrtc:offer", { to: calleeId, sdp: offer(8) }), { ok: true });
  await until("the callee has the second offer", () => offers.length === 2);
  const ambiguous = await answeredAs(callee, "webrtc:ice-candidate", { candidate: candidate(30) }, (a) => !a.ok);
  refusedWith(ambiguous, "INVALID_SIGNAL");
  assert.match(ambiguous.error.message, /to is required: this connection negotiates with 2 users/);
  assert.deepEqual(await callee.emitWithAck("webrtc:ice-candidate", { to: thirdId, candidate: candidate(31) }), { ok: true });
  assert.deepEqual(await callee.emitWithAck("webrtc:ice-candidate", { to: callerId, candidate: candidate(32) }), { ok: true });
});

test("a user shares no call with the target: NOT_IN_CALL, the same whether the target is online or not", async () => {
  const { room, calleeId, tabs } = await call();
  const offers = collect(tabs[0], "webrtc:offer");
  const outsiderId = fresh("mallory");
  const outsider = await connect(CALLER, outsiderId);
  const online = await outsider.emitWithAck("webrtc:offer", { to: calleeId, sdp: offer() });
  const ghost = fresh("ghost");
  const offline = await outsider.emitWithAck("webrtc:offer", { to: ghost, sdp: offer() });
  refusedWith(online, "NOT_IN_CALL");
  refusedWith(offline, "NOT_IN_CALL");
  assert.equal(online.error.message.replace(calleeId, "X"), offline.error.message.replace(ghost, "X"));

  // In another call: still not the target's call.
  await join(outsider, fresh("call:other"));
  refusedWith(await outsider.emitWithAck("webrtc:ice-candidate", { to: calleeId, candidate: candidate(1) }), "NOT_IN_CALL");
  // A plain room shared with the target is no call.
  const lobby = fresh("lobby");
  await join(outsider, lobby);
  await join(tabs[0], lobby);
  refusedWith(await outsider.emitWithAck("webrtc:offer", { to: calleeId, sdp: offer() }), "NOT_IN_CALL");

  // Once in the same call, it passes; after leaving it, it does not.
  await join(outsider, room);
  assert.deepEqual(await outsider.emitWithAck("webrtc:offer", { to: calleeId, sdp: offer(2) }), { ok: true });
  await until("the member's offer arrived", () => offers.length === 1);
  assert.equal(offers[0].from, outsiderId);
  assert.deepEqual(await outsider.emitWithAck("room:leave", { room }), { ok: true });
  refusedWith(await outsider.emitWithAck("webrtc:offer", { to: calleeId, sdp: offer(3) }), "NOT_IN_CALL");
  assert.equal(offers.length, 1);
});

test("a flood of candidates is RATE_LIMITED while another pair's signaling goes on undisturbed", async () => {
  const flood = await call();
  const quiet = await call();
  const flooded = collect(flood.tabs[0], "webrtc:ice-candidate");
  const received = collect(quiet.tabs[0], "webrtc:ice-candidate");

  const floodAnswers = [];
  for (let i = 0; i < 1500; i++) {
    floodAnswers.push(flood.caller.emitWithAck("webrtc:ice-candidate", { to: flood.calleeId, candidate: candidate(i) }));
  }
  const quietAnswers = [];
  for (let i = 0; i < 60; i++) {
    quietAnswers.push(quiet.caller.emitWithAck("webrtc:ice-candidate", { to: quiet.calleeId, candidate: candidate(i) }));
  }
  const floodResults = await Promise.all(floodAnswers);
  const passed = floodResults.filter((a) => a.ok).length;
  const limited = floodResults.filter((a) => !a.ok && a.error.code === "RATE_LIMITED").length;
  assert.equal(passed + limited, 1500, JSON.stringify(floodResults.find((a) => !a.ok && a.error.code !== "RATE_LIMITED")));
  assert.ok(passed >= 200 && passed < 1000, `passed ${passed}`);
  assert.deepEqual((await Promise.all(quietAnswers)).filter((a) => !a.ok), []);
  await until("the quiet pair's 60 candidates arrived", () => received.length === 60);
  assert.deepEqual(received.map((c) => c.candidate.candidate), Array.from({ length: 60 }, (_, i) => candidate(i).candidate));
  await until("what passed of the flood arrived", () => flooded.length === passed);
  assert.equal(flood.caller.connected, true);
});

test("a call takes 4 users on every node together: the 5th join is CALL_FULL with sfu, a 2nd tab is not counted", async () => {
  const room = fresh("call:mesh");
  const users = [fresh("u1"), fresh("u2"), fresh("u3"), fresh("u4"), fresh("u5")];
  const sockets = [];
  for (let i = 0; i < 4; i++) {
    const s = await connect(NODES[i % NODES.length], users[i]);
    await join(s, room);
    sockets.push(s);
  }
  const fifth = await connect(NODES[1 % NODES.length], users[4]);
  const full = await fifth.emitWithAck("room:join", { room });
  refusedWith(full, "CALL_FULL");
  assert.equal(full.error.sfu, true);
  assert.equal(full.error.limit, 4);
  assert.equal((await sockets[0].emitWithAck("presence:list", { room })).members.length, 4);

  const secondTab = await connect(NODES[NODES.length - 1], users[0]);
  await join(secondTab, room);

  // Someone leaves: once the others see it, the fifth gets in.
  const leaves = collect(sockets[1], "presence:leave");
  sockets[3].disconnect();
  await until("u4's departure is announced", () => leaves.some((l) => l.room === room && l.member.id === users[3]));
  await join(fifth, room);
  assert.deepEqual((await sockets[0].emitWithAck("presence:list", { room })).members.map((m) => m.id).sort(),
    [users[0], users[1], users[2], users[4]].sort());
});

/** p50 and p99 in milliseconds of `samples`. */
function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5).toFixed(2), p99: at(0.99).toFixed(2), n: sorted.length };
}

/** The next `event` on `socket`, failing after WAIT_MS. */
function next(socket, event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${WAIT_MS} ms`)), WAIT_MS);
    socket.once(event, (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

// 150 offers stay within one connection's signaling burst (200): none is dropped.
test("latency from an offer's emit to its receipt by the target", async () => {
  const { calleeId, caller, tabs } = await call();
  const warm = [];
  for (let i = 0; i < 150; i++) {
    const received = next(tabs[0], "webrtc:offer");
    const start = performance.now();
    caller.emit("webrtc:offer", { to: calleeId, sdp: offer(i) });
    await received;
    warm.push(performance.now() - start);
  }
  // First signals of a pair: the membership check reads the call's presence.
  const cold = [];
  for (let i = 0; i < 40; i++) {
    const room = fresh("call:cold");
    const target = fresh("cold");
    const first = await connect(CALLER, fresh("first"));
    const callee = await connect(CALLEE, target);
    await join(callee, room);
    await join(first, room);
    const received = next(callee, "webrtc:offer");
    const start = performance.now();
    first.emit("webrtc:offer", { to: target, sdp: offer(i) });
    await received;
    cold.push(performance.now() - start);
    first.disconnect();
    callee.disconnect();
  }
  const w = percentiles(warm);
  const c = percentiles(cold);
  console.log(`SIGNALING_LATENCY ${LABEL}: repeated offers p50=${w.p50} ms p99=${w.p99} ms (n=${w.n});`
    + ` first offer of a pair p50=${c.p50} ms p99=${c.p99} ms (n=${c.n})`);
});
