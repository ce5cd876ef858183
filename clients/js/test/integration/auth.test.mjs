// connect()'s token refresh against a real Switchboard with JWT authentication (SWITCHBOARD_URL,
// JWT_SECRET; the server runs with --jwt-clock-skew 0 and --auth-expiry-warning 1s).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../../src/index.js";
import { token, until } from "./jwt.mjs";

const SERVER = process.env.SWITCHBOARD_URL;
const cleanups = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function client(options) {
  const socket = connect(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, ...options });
  const seen = { expired: 0, disconnects: [] };
  socket.on("auth:expired", () => seen.expired++);
  socket.on("disconnect", (reason) => seen.disconnects.push(reason));
  cleanups.push(() => socket.disconnect());
  return { socket, seen };
}

test("a short-lived token refreshed on auth:expiring keeps the socket connected past its expiry", async () => {
  const errors = [];
  let asked = 0;
  const refreshed = client({ getToken: async () => (++asked === 1 ? token("ada", 3) : token("ada")), onError: (e) => errors.push(e) });
  // the same short token and no way to refresh it: the server ends this one at the expiry
  const fixed = client({ token: token("ada", 3), onError: (e) => errors.push(e) });
  await until("both are connected", () => refreshed.socket.connected && fixed.socket.connected);
  const room = refreshed.socket.room(`auth-${process.pid}`);
  await room.join();

  await until("auth:expiring asked for a new token", () => asked === 2, 5_000);
  await until("the unrefreshed socket was ended at its expiry", () => fixed.seen.disconnects.length === 1, 6_000);
  assert.equal(fixed.seen.expired, 1);
  assert.deepEqual(fixed.seen.disconnects, ["io server disconnect"]);

  assert.equal(refreshed.socket.connected, true);
  assert.deepEqual(refreshed.seen, { expired: 0, disconnects: [] });
  assert.deepEqual(errors, []);
  const answer = await room.publish("chat", { text: "still here" });
  assert.equal(answer.ok, true);
});

test("a refresh the server refuses (another user's token) is reported to onError", async () => {
  const errors = [];
  let asked = 0;
  const { socket } = client({ getToken: async () => (++asked === 1 ? token("ada", 2) : token("mallory")), onError: (e) => errors.push(e) });
  await until("connected", () => socket.connected);
  await until("the refusal is reported", () => errors.length === 1, 5_000);
  assert.match(String(errors[0].message), /SUBJECT_MISMATCH/);
});
