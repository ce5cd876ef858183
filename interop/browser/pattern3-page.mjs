// The pattern guide's "Pattern 3" call client (pattern3.js) in a Chromium page, with what the guide
// leaves to the application around it and nothing else:
//  - pattern3.js is the guide's code block with its TypeScript annotations removed and nothing more:
//    `process.env.NEXT_PUBLIC_WS_URL!` lost its `!`, `startCall(remoteUserId: string)` its `: string`,
//    and `document.getElementById('remote-video') as HTMLVideoElement` its `as HTMLVideoElement`;
//  - the page supplies `token` (a JWT of the user), `fetchTurnCredentials()` (one request to
//    /api/v1/turn-credentials, none when it answers 404, as the README shows),
//    `process.env.NEXT_PUBLIC_WS_URL` (the page's own server), a global `remoteUserId` (the guide's
//    `pc.onicecandidate` reads it outside `startCall`: the caller's app sets it, the callee's never
//    does), a `<video id="remote-video">`, and an import map resolving 'socket.io-client' to the ES
//    module build the server serves under /socket.io/;
//  - RTCPeerConnection is wrapped before the script runs, only to observe: it records when each
//    setRemoteDescription completes and each connection state change, and, for a relay-only call,
//    adds iceTransportPolicy "relay" to the configuration the guide's code builds (the only change
//    between the direct and the relay run).
// After the module ran, its `pc`, `socket` and `startCall` are copied to window.pattern3 by a line
// appended to the module text, so that the test can call startCall and read the statistics; a
// second line notes when each offer arrives (a listener after the guide's own).
import { readFileSync } from "node:fs";
import { newPage } from "./support.mjs";

/** The guide's client code, as run. */
export const PATTERN3 = readFileSync(new URL("./pattern3.js", import.meta.url), "utf8");

/** Chromium flags for calls: fake camera and microphone, no permission prompt, autoplay allowed. */
export const MEDIA_ARGS = [
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
];

/** What the page's script sees before the guide's module runs. */
function harnessScript({ token, relay }) {
  return `
    window.process = { env: { NEXT_PUBLIC_WS_URL: location.origin } };
    var token = ${JSON.stringify(token)};
    var remoteUserId;
    async function fetchTurnCredentials() {
      const response = await fetch("/api/v1/turn-credentials", { headers: { Authorization: \`Bearer \${token}\` } });
      return response.ok ? response.json() : [];
    }
    const now = () => performance.timeOrigin + performance.now();
    window.harness = { now, offers: [], remote: [], states: [], errors: [], firstFrameAt: 0, loadedAt: 0 };
    addEventListener("error", (e) => harness.errors.push(String(e.message)));
    addEventListener("unhandledrejection", (e) => harness.errors.push(String(e.reason && e.reason.message || e.reason)));
    const Native = RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(configuration) {
        super(${relay ? `{ ...configuration, iceTransportPolicy: "relay" }` : "configuration"});
        this.addEventListener("connectionstatechange", () => harness.states.push(
          { connectionState: this.connectionState, iceConnectionState: this.iceConnectionState, at: now() }));
      }
      async setRemoteDescription(description) {
        await super.setRemoteDescription(description);
        harness.remote.push({ type: description.type, at: now() });
      }
    };
    addEventListener("DOMContentLoaded", () => {
      const video = document.getElementById("remote-video");
      video.requestVideoFrameCallback((at) => { harness.firstFrameAt = performance.timeOrigin + at; });
      video.addEventListener("loadeddata", () => { harness.loadedAt = now(); }, { once: true });
    });`;
}

/**
 * A page of `origin` (the server the guide's socket connects to) running `code` (the guide's, unless
 * a test gives a variant) as the user of `token`; `relay` makes its calls relay-only. Resolves once
 * the module ran (its socket is created; it may still be connecting).
 */
export async function pattern3Page(browser, { origin, token, relay = false, code = PATTERN3 }) {
  const page = await newPage(browser);
  page.on("console", (message) => {
    if (message.type() === "error" && !message.location().url.endsWith("/favicon.ico")) {
      console.error("page console:", message.text(), message.location().url);
    }
  });
  await page.goto(origin + "/healthz");
  const module = `${code}\nwindow.pattern3 = { pc, socket, startCall };\n`
    + "socket.on('webrtc:offer', () => window.harness.offers.push(window.harness.now()));\n";
  await page.setContent(`<!doctype html><title>Pattern 3</title><link rel="icon" href="data:,">
    <script type="importmap">{"imports": {"socket.io-client": "/socket.io/socket.io.esm.min.js"}}</script>
    <script>${harnessScript({ token, relay })}</script>
    <video id="remote-video" autoplay playsinline muted width="320" height="240"></video>
    <script type="module">${module}</script>`);
  await page.waitForFunction(() => window.pattern3 !== undefined || window.harness.errors.length > 0, null, { polling: 20 });
  const errors = await page.evaluate(() => window.harness.errors);
  if (errors.length > 0) throw new Error(`the guide's code failed in the page: ${errors.join("; ")}`);
  return page;
}

/** Joins call room `room` on the guide's socket, once it is connected. */
export async function joinCall(page, room) {
  await page.waitForFunction(() => window.pattern3.socket.connected, null, { polling: 20 });
  const answer = await page.evaluate((r) => window.pattern3.socket.emitWithAck("room:join", { room: r }), room);
  if (!answer.ok) throw new Error(`room:join ${room} refused: ${JSON.stringify(answer.error)}`);
}

/**
 * What the page's connection says now: its states, the received video bytes and frames, the
 * remote video element, and the selected candidate pair's local and remote candidate types.
 */
export function callState(page) {
  return page.evaluate(async () => {
    const { pc } = window.pattern3;
    const stats = await pc.getStats();
    let bytesReceived = 0;
    let framesDecoded = 0;
    let pair = null;
    stats.forEach((report) => {
      if (report.type === "inbound-rtp" && report.kind === "video") {
        bytesReceived = report.bytesReceived;
        framesDecoded = report.framesDecoded ?? 0;
      }
      if (report.type === "transport" && report.selectedCandidatePairId) pair = stats.get(report.selectedCandidatePairId);
    });
    const video = document.getElementById("remote-video");
    return {
      iceConnectionState: pc.iceConnectionState,
      connectionState: pc.connectionState,
      signalingState: pc.signalingState,
      bytesReceived,
      framesDecoded,
      videoWidth: video.videoWidth,
      videoHeight: video.videoHeight,
      playing: !video.paused && video.readyState >= 2,
      localCandidateType: pair ? stats.get(pair.localCandidateId)?.candidateType : null,
      remoteCandidateType: pair ? stats.get(pair.remoteCandidateId)?.candidateType : null,
      errors: window.harness.errors,
    };
  });
}

/**
 * The guide's code with the one change Chromium needs for its ICE restart to ever run: Chromium
 * leaves `iceConnectionState` at "disconnected" when ICE fails (only `connectionState` becomes
 * "failed"), so the guide's handler is triggered by the connection state instead. Two lines differ.
 */
export const PATTERN3_RESTART_ON_CONNECTION_STATE = (() => {
  const guide = "pc.oniceconnectionstatechange = async () => {\n  if (pc.iceConnectionState === 'failed') {";
  const changed = "pc.onconnectionstatechange = async () => {\n  if (pc.connectionState === 'failed') {";
  if (PATTERN3.split(guide).length !== 2) throw new Error("pattern3.js no longer has the guide's ICE failure handler");
  return PATTERN3.replace(guide, changed);
})();
