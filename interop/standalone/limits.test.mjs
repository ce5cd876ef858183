// Limits of the standalone server against the official client: event rate, per-user connection
// cap, allowed origins. The server runs with event-rate 5, disconnect-after-refusals 20,
// max-connections-per-user 2 and allowed-origins http://good.example.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const SERVER = process.env.SWITCHBOARD_URL;
const opened = [];

afterEach(() => {
  for (const s of opened.splice(0)) s.disconnect();
});

function open(options = {}) {
  const socket = io(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, ...options });
  opened.push(socket);
  return socket;
}

function connected(socket) {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

function refused(socket) {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("connected, expected a refusal")));
    socket.once("connect_error", resolve);
  });
}

test("events over the rate are refused with RATE_LIMITED; a flood ends the connection; others are undisturbed", async () => {
  const flooder = await connected(open());
  const bystander = await connected(open());
  const listener = await connected(open());
  for (const s of [flooder, bystander, listener]) {
    assert.equal((await s.emitWithAck("room:join", { room: "busy" })).ok, true);
  }
  // The joins above used 1 of the burst of 10; acked publishes beyond it are refused in the ack.
  const answers = await Promise.all(Array.from({ length: 15 }, (_, i) =>
    flooder.emitWithAck("room:publish", { room: "busy", event: "chat", data: i })));
  const limited = answers.filter((a) => a.ok === false);
  assert.ok(limited.length >= 5, `refused ${limited.length} of 15`);
  assert.equal(limited[0].error.code, "RATE_LIMITED");

  // Without an ack the refusal comes as an "error" event; going on ends the connection.
  const errors = [];
  flooder.on("error", (e) => errors.push(e));
  const gone = new Promise((resolve) => flooder.once("disconnect", resolve));
  for (let i = 0; i < 40; i++) flooder.emit("room:publish", { room: "busy", event: "chat", data: "x" });
  assert.equal(await gone, "io server disconnect");
  assert.ok(errors.length > 0 && errors[0].code === "RATE_LIMITED", JSON.stringify(errors[0]));

  // The bystander still publishes and the listener still receives.
  const got = new Promise((resolve) => listener.on("chat", (data) => data === "calm" && resolve(data)));
  assert.equal((await bystander.emitWithAck("room:publish", { room: "busy", event: "chat", data: "calm" })).ok, true);
  assert.equal(await got, "calm");
});

test("a user may hold at most two connections", async () => {
  const user = { user: { id: "carol", name: "Carol" } };
  await connected(open({ auth: user }));
  await connected(open({ auth: user }));
  const error = await refused(open({ auth: user }));
  assert.equal(error.message, "Too many connections");
  assert.equal(error.data.code, "TOO_MANY_CONNECTIONS");
  await connected(open({ auth: { user: { id: "dave" } } }));
});

test("only allowed origins may connect", async () => {
  await connected(open({ extraHeaders: { Origin: "http://good.example" } }));
  const ws = await refused(open({ extraHeaders: { Origin: "http://evil.example" } }));
  assert.match(ws.message, /websocket error/);
  const polling = await refused(open({ transports: ["polling"], extraHeaders: { Origin: "http://evil.example" } }));
  assert.match(polling.message, /xhr poll error/);
  // Clients that send no Origin (not browsers) are not subject to the check.
  await connected(open());
});
