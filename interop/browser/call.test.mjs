// The pattern guide's Pattern 3 video call (pattern3.js, run as pattern3-page.mjs describes) between
// two headless Chromium pages with fake cameras, each with its own JWT, signaling through Switchboard:
// directly, then relay-only through a real coturn with the credentials of /api/v1/turn-credentials,
// then an ICE restart after the caller's path to the TURN server is cut. Measures the signaling
// latency (offer sent to the remote setRemoteDescription done) and the time to the first remote frame.
//
// SWITCHBOARD_URL: the caller's server; SWITCHBOARD_CALLEE_URL: the callee's (another node of a
// cluster; default the same); JWT_SECRET: their --jwt-secret. With SWITCHBOARD_RESTART_URL (a server
// whose --turn-urls is only turn:127.0.0.1:TURN_PROXY_PORT?transport=tcp) and TURN_PORT (coturn's),
// the relay and restart runs are made too; CALL_LABEL names the setup in the printed measurements.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { URL, WAIT_MS, launchBrowser } from "./support.mjs";
import { MEDIA_ARGS, PATTERN3_RESTART_ON_CONNECTION_STATE, callState, joinCall, pattern3Page } from "./pattern3-page.mjs";
import { turnTcpProxy } from "./turn-proxy.mjs";

const SECRET = process.env.JWT_SECRET;
const CALLEE_URL = process.env.SWITCHBOARD_CALLEE_URL || URL;
const RESTART_URL = process.env.SWITCHBOARD_RESTART_URL;
const LABEL = process.env.CALL_LABEL || "one node";
const RENEGOTIATIONS = 50;
const RENEGOTIATION_PACE_MS = 150;

/** An HS256 JWT for `sub`, valid for ten minutes. */
function token(sub) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = part({ alg: "HS256", typ: "JWT" }) + "." + part({ sub, exp: Math.floor(Date.now() / 1000) + 600 });
  return body + "." + createHmac("sha256", SECRET).update(body).digest("base64url");
}

/** Polls `read` every `everyMs` until `check(value)` holds; fails with the last value after `ms`. */
async function until(what, read, check, ms = WAIT_MS, everyMs = 50) {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await read();
  }
  return value;
}

function percentiles(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `p50=${at(0.5).toFixed(2)} ms p99=${at(0.99).toFixed(2)} ms (n=${sorted.length})`;
}

describe(`the guide's Pattern 3 call in two Chromium pages (${LABEL})`, { timeout: 150000 }, () => {
  let browser;

  before(async () => {
    assert.ok(SECRET, "set JWT_SECRET to the servers' --jwt-secret");
    browser = await launchBrowser(MEDIA_ARGS);
  });

  after(async () => {
    await browser?.close();
  });

  /** Caller and callee pages, both in one new call room; the caller's on `callerUrl`, the callee's on `calleeUrl`. */
  async function peers(name, { callerUrl = URL, calleeUrl = CALLEE_URL, relay = false, code } = {}) {
    const callerId = `${name}-caller`;
    const calleeId = `${name}-callee`;
    const caller = await pattern3Page(browser, { origin: callerUrl, token: token(callerId), relay, code });
    const callee = await pattern3Page(browser, { origin: calleeUrl, token: token(calleeId), relay, code });
    const room = `call:${name}-${process.pid}`;
    await joinCall(caller, room);
    await joinCall(callee, room);
    return { caller, callee, callerId, calleeId };
  }

  /** The caller's app knows whom it calls: it sets remoteUserId and calls the guide's startCall. */
  function startCall(caller, calleeId) {
    return caller.evaluate(async (id) => {
      remoteUserId = id;
      window.harness.startAt = window.harness.now();
      await window.pattern3.startCall(remoteUserId);
    }, calleeId);
  }

  /** Waits until the callee plays the caller's video; returns its state then. */
  function receivesVideo(callee, { moreThan = 0 } = {}) {
    return until("the callee plays the caller's video", () => callState(callee),
      (s) => s.bytesReceived > moreThan && s.framesDecoded > 0 && s.videoWidth > 0 && s.playing);
  }

  async function firstFrameMs(caller, callee) {
    const startAt = await caller.evaluate(() => window.harness.startAt);
    const frameAt = await until("the first remote frame is presented", () => callee.evaluate(() => window.harness.firstFrameAt), (at) => at > 0);
    return frameAt - startAt;
  }

  /**
   * Renegotiates `count` times as startCall does (createOffer, setLocalDescription, emit the offer),
   * each answered by the callee's guide code; returns the delays from each emit to the offer's
   * arrival in the callee's page and to the end of its setRemoteDescription (both pages share the
   * machine's clock). The offer asks for an acknowledgement, which the guide's does not, so that a
   * refusal says why; one renegotiation starts every RENEGOTIATION_PACE_MS at most, as a
   * description of a few KiB costs a few tokens of the signaling budget (50 a second).
   */
  async function renegotiationDelays(caller, callee, count) {
    const arrivals = [];
    const applied = [];
    const sizes = [];
    for (let i = 0; i < count; i++) {
      const paced = new Promise((resolve) => setTimeout(resolve, RENEGOTIATION_PACE_MS));
      const done = await callee.evaluate(() => window.harness.remote.length);
      const { sentAt, answer, size } = await caller.evaluate(async () => {
        const { pc, socket } = window.pattern3;
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        const at = window.harness.now();
        const acked = socket.emitWithAck("webrtc:offer", { to: remoteUserId, sdp: offer });
        return { sentAt: at, answer: await acked, size: offer.sdp.length };
      });
      sizes.push(size);
      assert.deepEqual(answer, { ok: true }, `renegotiation ${i}`);
      await until(`renegotiation ${i} is applied on both sides`, async () => ({
        applied: await callee.evaluate(() => window.harness.remote.length),
        signalingState: await caller.evaluate(() => window.pattern3.pc.signalingState),
      }), (now) => now.applied > done && now.signalingState === "stable", WAIT_MS, 10);
      const { remote, offers } = await callee.evaluate(() => window.harness);
      assert.equal(remote[done].type, "offer");
      arrivals.push(offers.at(-1) - sentAt);
      applied.push(remote[done].at - sentAt);
      await paced;
    }
    return { arrivals, applied, sdpBytes: Math.max(...sizes) };
  }

  async function close(...pages) {
    for (const page of pages) await page.context().close();
  }

  it("connects directly: the callee plays the caller's video; signaling latency and first frame measured", async () => {
    const { caller, callee, calleeId } = await peers("direct");
    await startCall(caller, calleeId);
    const state = await receivesVideo(callee);
    assert.equal(state.localCandidateType, "host", JSON.stringify(state));
    assert.equal((await callState(caller)).connectionState, "connected");
    const firstFrame = await firstFrameMs(caller, callee);

    const delays = await renegotiationDelays(caller, callee, RENEGOTIATIONS);
    const after = await receivesVideo(callee, { moreThan: state.bytesReceived });
    assert.deepEqual([...after.errors, ...(await callState(caller)).errors], []);
    console.log(`CALL_SIGNALING_LATENCY ${LABEL}, over ${RENEGOTIATIONS} renegotiations: offer emitted to the remote`
      + ` setRemoteDescription done ${percentiles(delays.applied)}; to its arrival in the remote page ${percentiles(delays.arrivals)};`
      + ` offers of up to ${delays.sdpBytes} characters of SDP`);
    console.log(`CALL_FIRST_FRAME ${LABEL}: startCall to the first remote video frame ${firstFrame.toFixed(0)} ms`
      + ` (${state.videoWidth}x${state.videoHeight})`);
    await close(caller, callee);
  });

  it("connects relay-only through coturn with the endpoint's credentials", { skip: !RESTART_URL }, async () => {
    const { caller, callee, calleeId } = await peers("relay", { relay: true });
    await startCall(caller, calleeId);
    const state = await receivesVideo(callee);
    assert.equal(state.localCandidateType, "relay", JSON.stringify(state));
    assert.equal(state.remoteCandidateType, "relay", JSON.stringify(state));
    assert.equal((await callState(caller)).localCandidateType, "relay");
    console.log(`CALL_FIRST_FRAME ${LABEL}, relay-only: startCall to the first remote video frame`
      + ` ${(await firstFrameMs(caller, callee)).toFixed(0)} ms`);
    await close(caller, callee);
  });

  it("restarts ICE when the caller's path to the TURN server is cut, and media flows again", { skip: !RESTART_URL }, async () => {
    const proxy = await turnTcpProxy(Number(process.env.TURN_PORT), Number(process.env.TURN_PROXY_PORT));
    try {
      const { caller, callee, callerId, calleeId } = await peers("restart", {
        callerUrl: RESTART_URL, calleeUrl: RESTART_URL, relay: true, code: PATTERN3_RESTART_ON_CONNECTION_STATE,
      });
      await startCall(caller, calleeId);
      const before = await receivesVideo(callee);
      assert.equal(before.localCandidateType, "relay");
      await until("the caller's TURN connections are known", async () => proxy.users(), (users) => users.includes(callerId));

      const cutAt = await caller.evaluate(() => window.harness.now());
      assert.ok(proxy.cut(callerId) > 0);
      const failed = await until("the caller's connection fails", () => caller.evaluate(() => window.harness.states),
        (states) => states.some((s) => s.connectionState === "failed"));
      // What the guide's own handler waits for (iceConnectionState "failed") never comes in Chromium; what ICE
      // reports when the connection fails varies from run to run ("disconnected", sometimes still "connected").
      console.log(`CALL_ICE_STATE_AT_FAILURE ${LABEL}: ${failed.find((s) => s.connectionState === "failed").iceConnectionState}`);

      const restarted = await until("the restarted connection is up", () => caller.evaluate(() => window.harness.states),
        (states) => states.at(-1).connectionState === "connected" && states.some((s) => s.connectionState === "failed"));
      const offers = await callee.evaluate(() => window.harness.remote.filter((d) => d.type === "offer").length);
      assert.equal(offers, 2, "the callee got the caller's ICE restart offer");
      const counted = (await callState(callee)).bytesReceived;
      const again = await receivesVideo(callee, { moreThan: counted });
      assert.equal(again.localCandidateType, "relay");
      assert.equal((await callState(caller)).iceConnectionState, "connected");
      console.log(`CALL_ICE_RESTART ${LABEL}: path cut to connected again in ${(restarted.at(-1).at - cutAt).toFixed(0)} ms`);
      await close(caller, callee);
    } finally {
      await proxy.close();
    }
  });
});
