// Authentication and room authorization of the standalone server with the official client.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { io } from "socket.io-client";

const SERVER = process.env.SWITCHBOARD_URL;
const SECRET = process.env.SWITCHBOARD_JWT_SECRET;
const ISS = process.env.SWITCHBOARD_JWT_ISSUER;
const AUD = process.env.SWITCHBOARD_JWT_AUDIENCE;
const WARNING_MS = Number(process.env.SWITCHBOARD_EXPIRY_WARNING_MS);
const opened = [];

afterEach(() => {
  for (const s of opened.splice(0)) s.disconnect();
});

const b64 = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const nowSeconds = () => Math.floor(Date.now() / 1000);

function sign(payload, { alg = "HS256", secret = SECRET } = {}) {
  const head = b64({ alg, typ: "JWT" });
  const body = b64(payload);
  if (alg === "none") return `${head}.${body}.`;
  const sig = crypto.createHmac("sha" + alg.slice(2), secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

function claims(sub, extra = {}) {
  return { sub, iss: ISS, aud: AUD, exp: nowSeconds() + 300, name: sub.toUpperCase(), ...extra };
}

function socketFor(options) {
  const socket = io(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, ...options });
  opened.push(socket);
  return socket;
}

function connect(token, options = {}) {
  const socket = socketFor({ auth: token === undefined ? {} : { token }, ...options });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

function refused(token, options = {}) {
  const socket = socketFor({ auth: token === undefined ? {} : { token }, ...options });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("connected with a bad token")));
    socket.once("connect_error", (err) => resolve(err));
  });
}

function next(socket, event) {
  return new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
}

test("a good token connects, joins the user's own room, and reaches the user's other tabs", async () => {
  const tab1 = await connect(sign(claims("ada")));
  const tab2 = await connect(sign(claims("ada")));
  const note = next(tab2, "note");
  const answer = await tab1.emitWithAck("room:publish", { room: "user:ada", event: "note", data: { text: "hi" } });
  assert.equal(answer.ok, true);
  assert.match(answer.position, /^[^:]+:\d+$/, "a kept message's position, epoch:offset");
  const [data, meta] = await note;
  assert.deepEqual(data, { text: "hi" });
  assert.equal(meta.user, "ada");
  assert.equal(meta.room, "user:ada");
  assert.equal(meta.position, answer.position);
});

test("the token may come as Authorization: Bearer", async () => {
  const socket = await connect(undefined, { extraHeaders: { Authorization: `Bearer ${sign(claims("bea"))}` } });
  assert.equal((await socket.emitWithAck("room:join", { room: "lobby" })).ok, true);
});

test("each bad token is refused with its code, and a connected client is undisturbed", async () => {
  const bystander = await connect(sign(claims("carl")));
  const peer = await connect(sign(claims("dora")));
  assert.equal((await bystander.emitWithAck("room:join", { room: "lobby" })).ok, true);
  assert.equal((await peer.emitWithAck("room:join", { room: "lobby" })).ok, true);

  const cases = [
    [undefined, "AUTH_REQUIRED"],
    ["not-a-jwt", "TOKEN_INVALID"],
    [sign(claims("eve"), { alg: "none" }), "TOKEN_INVALID"],
    [sign(claims("eve"), { secret: "another-secret-another-secret-another-secret!" }), "TOKEN_INVALID"],
    [sign(claims("eve", { exp: nowSeconds() - 120 })), "TOKEN_EXPIRED"],
    [sign(claims("eve", { nbf: nowSeconds() + 600 })), "TOKEN_NOT_YET_VALID"],
    [sign(claims("eve", { aud: "someone-else" })), "WRONG_AUDIENCE"],
    [sign(claims("eve", { iss: "https://evil.example" })), "WRONG_ISSUER"],
    [sign({ iss: ISS, aud: AUD, exp: nowSeconds() + 60 }), "TOKEN_INVALID"],
  ];
  for (const [token, code] of cases) {
    const err = await refused(token);
    assert.equal(err.data?.code, code, `expected ${code} for ${token}: ${err.message} ${JSON.stringify(err.data)}`);
    assert.equal(typeof err.message, "string");
  }

  assert.equal(bystander.connected, true);
  const got = next(peer, "chat");
  assert.equal((await bystander.emitWithAck("room:publish", { room: "lobby", event: "chat", data: "still here" })).ok, true);
  assert.equal((await got)[0], "still here");
});

test("room rules: own user room and granted documents only; publishing has its own permission", async () => {
  const socket = await connect(sign(claims("fay", { documents: ["7", "9"] })));
  const join = (room) => socket.emitWithAck("room:join", { room });
  assert.equal((await join("user:fay")).ok, true);
  assert.equal((await join("user:gus")).error.code, "FORBIDDEN_ROOM");
  assert.equal((await join("document:7")).ok, true);
  assert.equal((await join("document:8")).error.code, "FORBIDDEN_ROOM");
  assert.equal((await join("announcements")).ok, true);
  const publish = await socket.emitWithAck("room:publish", { room: "announcements", event: "news", data: 1 });
  assert.equal(publish.error.code, "FORBIDDEN_ROOM");

  const admin = await connect(sign(claims("hal", { role: "admin" })));
  assert.equal((await admin.emitWithAck("room:join", { room: "announcements" })).ok, true);
  const news = next(socket, "news");
  assert.equal((await admin.emitWithAck("room:publish", { room: "announcements", event: "news", data: 2 })).ok, true);
  assert.equal((await news)[0], 2);
});

test("a refresh before expiry keeps the connection; another user's token is refused", async () => {
  const lifetime = 3;
  const socket = await connect(sign(claims("ida", { exp: nowSeconds() + lifetime })));
  const originalExpiry = (nowSeconds() + lifetime) * 1000;
  const [{ expiresAt }] = await next(socket, "auth:expiring");
  assert.ok(expiresAt <= originalExpiry, `expiresAt ${expiresAt}`);
  assert.ok(Date.now() >= expiresAt - WARNING_MS - 300, "warned no earlier than the lead");

  const other = await socket.emitWithAck("auth:refresh", { token: sign(claims("jim")) });
  assert.equal(other.error.code, "SUBJECT_MISMATCH");
  const bad = await socket.emitWithAck("auth:refresh", { token: "garbage" });
  assert.equal(bad.error.code, "TOKEN_INVALID");

  const freshExpiry = nowSeconds() + lifetime + 2;
  const answer = await socket.emitWithAck("auth:refresh", { token: sign(claims("ida", { exp: freshExpiry })) });
  assert.deepEqual(answer, { ok: true, expiresAt: freshExpiry * 1000 });
  // The next warning comes after the first token's expiry: still connected then.
  const [second] = await next(socket, "auth:expiring");
  assert.equal(second.expiresAt, freshExpiry * 1000);
  assert.ok(Date.now() > originalExpiry, "past the first token's expiry");
  assert.equal(socket.connected, true);
  assert.equal((await socket.emitWithAck("room:join", { room: "lobby" })).ok, true);
});

test("without a refresh the connection ends at expiry with auth:expired", async () => {
  const expiry = (nowSeconds() + 2) * 1000;
  const socket = await connect(sign(claims("kim", { exp: expiry / 1000 })));
  const expired = next(socket, "auth:expired");
  const [reason] = await next(socket, "disconnect");
  const at = Date.now();
  assert.equal(reason, "io server disconnect");
  assert.deepEqual((await expired)[0].code, "TOKEN_EXPIRED");
  assert.ok(at >= expiry - 50, `disconnected ${expiry - at} ms before expiry`);
  assert.ok(at <= expiry + 1500, `disconnected ${at - expiry} ms after expiry`);
});
