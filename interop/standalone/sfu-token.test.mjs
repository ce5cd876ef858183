// SFU access tokens of the standalone server, verified by LiveKit's own TokenVerifier (livekit-server-sdk).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { io } from "socket.io-client";
import { TokenVerifier } from "livekit-server-sdk";

const SERVER = process.env.SWITCHBOARD_URL;
const SECRET = process.env.SWITCHBOARD_JWT_SECRET;
const API_KEY = process.env.SFU_API_KEY;
const API_SECRET = process.env.SFU_API_SECRET;
const TTL_SECONDS = Number(process.env.SFU_TOKEN_TTL_SECONDS);
const verifier = new TokenVerifier(API_KEY, API_SECRET);
const opened = [];

afterEach(() => {
  for (const s of opened.splice(0)) s.disconnect();
});

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

function sign(sub, claims = {}) {
  const head = b64({ alg: "HS256", typ: "JWT" });
  const body = b64({ sub, exp: Math.floor(Date.now() / 1000) + 300, name: sub.toUpperCase(), ...claims });
  const sig = crypto.createHmac("sha256", SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

async function sfuToken(token, body) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${SERVER}/api/v1/sfu-token`, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

function connect(token) {
  const socket = io(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, auth: { token } });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

test("a token verifies with LiveKit's TokenVerifier, scoped to the user and the room, short-lived", async () => {
  const before = Math.floor(Date.now() / 1000);
  const { status, body } = await sfuToken(sign("ada", { teams: ["red"] }), { room: "call:team-red" });
  assert.equal(status, 200, JSON.stringify(body));
  const claims = await verifier.verify(body.token);
  assert.equal(claims.iss, API_KEY);
  assert.equal(claims.sub, "ada");
  assert.equal(claims.name, "ADA");
  assert.deepEqual(claims.video, {
    room: "call:team-red", roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true,
  });
  assert.ok(claims.nbf >= before - 1 && claims.nbf <= Math.floor(Date.now() / 1000));
  assert.ok(claims.exp - claims.nbf <= TTL_SECONDS && claims.exp - claims.nbf >= TTL_SECONDS - 1, `exp ${claims.exp}, nbf ${claims.nbf}`);
  assert.equal(body.expiresAt, claims.exp * 1000);
});

test("grant rules decide: viewers of a webinar neither publish nor send data, its host does", async () => {
  const viewer = await sfuToken(sign("bob"), { room: "call:webinar-7" });
  assert.equal(viewer.status, 200, JSON.stringify(viewer.body));
  const viewerGrant = (await verifier.verify(viewer.body.token)).video;
  assert.equal(viewerGrant.canPublish, false);
  assert.equal(viewerGrant.canPublishData, false);
  assert.equal(viewerGrant.canSubscribe, true);
  const host = await sfuToken(sign("carol", { role: "host" }), { room: "call:webinar-7" });
  const hostGrant = (await verifier.verify(host.body.token)).video;
  assert.equal(hostGrant.canPublish, true);
  assert.equal(hostGrant.canPublishData, true);
});

test("a room the user may not join is refused, and so is a request without a user", async () => {
  const wrongRoom = await sfuToken(sign("bob", { teams: ["blue"] }), { room: "call:team-red" });
  assert.equal(wrongRoom.status, 403);
  assert.equal(wrongRoom.body.code, "FORBIDDEN_ROOM");
  assert.equal(wrongRoom.body.token, undefined);
  const nobody = await sfuToken(undefined, { room: "call:team-red" });
  assert.equal(nobody.status, 401);
  assert.equal(nobody.body.code, "AUTH_REQUIRED");
  const notACall = await sfuToken(sign("ada"), { room: "lobby" });
  assert.equal(notACall.status, 400);
  assert.equal(notACall.body.code, "INVALID_ROOM");
});

test("a token names one room: another room's name cannot be swapped in, and another key's secret refuses it", async () => {
  const { body } = await sfuToken(sign("ada", { teams: ["red"] }), { room: "call:team-red" });
  const [head, payload, sig] = body.token.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  claims.video.room = "call:team-blue";
  const forged = `${head}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${sig}`;
  await assert.rejects(verifier.verify(forged));
  await assert.rejects(new TokenVerifier(API_KEY, "another-api-secret-of-at-least-32-bytes").verify(body.token));
  await assert.rejects(new TokenVerifier("another-key", API_SECRET).verify(body.token));
});

test("a socket asks with sfu:token; a recording token waits for everyone's consent", async () => {
  const socket = await connect(sign("ada", { teams: ["red"] }));
  const plain = await socket.emitWithAck("sfu:token", { room: "call:team-red" });
  assert.equal(plain.ok, true, JSON.stringify(plain));
  assert.equal((await verifier.verify(plain.token)).video.roomRecord, undefined);

  const requested = new Promise((resolve) => socket.once("call:consent:request", resolve));
  assert.equal((await socket.emitWithAck("room:join", { room: "call:team-red" })).ok, true);
  assert.deepEqual(await requested, { room: "call:team-red", recording: false });
  const early = await socket.emitWithAck("sfu:token", { room: "call:team-red", record: true });
  assert.equal(early.ok, false);
  assert.equal(early.error.code, "CONSENT_REQUIRED");
  assert.deepEqual(early.error.notConsented, ["ada"]);

  assert.equal((await socket.emitWithAck("call:consent", { room: "call:team-red", recording: true })).ok, true);
  const recorder = await socket.emitWithAck("sfu:token", { room: "call:team-red", record: true });
  assert.equal(recorder.ok, true, JSON.stringify(recorder));
  assert.equal((await verifier.verify(recorder.token)).video.roomRecord, true);
});
