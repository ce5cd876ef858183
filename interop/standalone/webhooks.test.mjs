// The webhook receiver of README, as a backend would run it: README's own verifySwitchboardWebhook
// (taken from README.md as it stands) checks every request a Switchboard server sends while official
// clients connect, join, publish and leave in every way a socket can; the events are checked as
// README describes them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServer } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import { io } from "socket.io-client";

const SERVER = process.env.SWITCHBOARD_URL;
const RECEIVER_PORT = Number(process.env.RECEIVER_PORT);
const API_KEY = process.env.SWITCHBOARD_API_KEY;
// The server signs with both (rotation); this receiver knows only the old one, as one not moved yet.
const [NEW_SECRET, OLD_SECRET] = process.env.SWITCHBOARD_WEBHOOK_SECRET.split(",");
const WAIT_MS = 10000;

const requests = [];
const events = new Map(); // by id: each event once, however often it came
let receiver;
let verifySwitchboardWebhook;

/** README's fenced js block that exports verifySwitchboardWebhook, written to a module and imported. */
async function readmeVerifier() {
  const readme = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "README.md"), "utf8");
  const block = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])
    .find((code) => code.includes("export function verifySwitchboardWebhook"));
  assert.ok(block, "README.md has a js block exporting verifySwitchboardWebhook");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "readme-webhook-")), "verify.mjs");
  fs.writeFileSync(file, block);
  return (await import(pathToFileURL(file).href)).verifySwitchboardWebhook;
}

before(async () => {
  verifySwitchboardWebhook = await readmeVerifier();
  receiver = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const genuine = verifySwitchboardWebhook(req.headers, body, [OLD_SECRET]);
      requests.push({ headers: req.headers, body, genuine });
      if (!genuine) {
        res.writeHead(401).end();
        return;
      }
      for (const event of JSON.parse(body).events) events.set(event.id, event);
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(RECEIVER_PORT, "127.0.0.1", resolve));
});

after(() => receiver?.close());

const opened = [];
after(() => {
  for (const socket of opened) socket.disconnect();
});

function connect(user) {
  const socket = io(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, auth: { user } });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function until(what, check, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) {
      const seen = [...events.values()].map((e) => `${e.type} ${e.data.room ?? e.data.socket} ${e.data.reason ?? ""}`);
      throw new Error(`timed out waiting until ${what}; events: ${seen.join("; ")}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const find = (type, match) => [...events.values()].filter((event) => event.type === type && match(event.data));

test("README's verifier accepts every request, signed with both secrets, and refuses tampered ones", async () => {
  const ada = await connect({ id: "ada", name: "Ada" });
  await until("ada's connect arrives", () => find("connect", (d) => d.socket === ada.id).length === 1);
  assert.ok(requests.length > 0);
  for (const { headers, body, genuine } of requests) {
    assert.equal(genuine, true);
    assert.equal(headers["content-type"], "application/json");
    assert.match(headers["x-switchboard-signature"], /^v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    assert.match(headers["x-switchboard-delivery"], /^[0-9a-f-]{36}$/);
    assert.equal(headers["x-switchboard-attempt"], "1");
    assert.equal(verifySwitchboardWebhook(headers, body, [NEW_SECRET]), true, "the new secret's signature is there too");
    assert.equal(verifySwitchboardWebhook(headers, body, ["another-secret-of-32-characters!"]), false);
    // Every event has a type: renaming one tampers with any request, whichever events it carries.
    const tampered = Buffer.from(body.toString().replace("\"type\":\"", "\"type\":\"not."));
    assert.notDeepEqual(tampered, body);
    assert.equal(verifySwitchboardWebhook(headers, tampered, [OLD_SECRET]), false);
    const later = Number(headers["x-switchboard-timestamp"]) * 1000 + 301_000;
    assert.equal(verifySwitchboardWebhook(headers, body, [OLD_SECRET], later), false, "a replay after 5 minutes");
  }
  const [connected] = find("connect", (d) => d.socket === ada.id);
  assert.deepEqual(Object.keys(connected).sort(), ["data", "id", "node", "time", "type"]);
  assert.equal(connected.data.user, "ada");
  assert.equal(connected.data.namespace, "/");
  assert.equal(connected.data.transport, "websocket");
  assert.equal(connected.data.recovered, false);
  ada.disconnect();
});

test("joining, publishing and leaving: room.occupied/vacated, presence.join/leave and the opted-in publish", async () => {
  const ada = await connect({ id: "ada", name: "Ada" });
  const bob = await connect({ id: "bob", name: "Bob" });
  const emit = (socket, event, payload) => new Promise((resolve) => socket.emit(event, payload, resolve));
  assert.equal((await emit(ada, "room:join", { room: "chat:1" })).ok, true);
  assert.equal((await emit(bob, "room:join", { room: "chat:1" })).ok, true);
  assert.equal((await emit(ada, "room:join", { room: "doc:1" })).ok, true);
  assert.equal((await emit(ada, "room:publish", { room: "chat:1", event: "say", data: { text: "hi" }, id: "m-1" })).ok, true);
  assert.equal((await emit(ada, "room:publish", { room: "doc:1", event: "edit", data: { op: 1 } })).ok, true);
  await until("the publish arrives", () => find("publish", () => true).length === 1);
  const [published] = find("publish", () => true);
  const { position, ...rest } = published.data;
  assert.match(position, /^\S+$/, "chat:1 keeps history: the message's position");
  assert.deepEqual(rest, { namespace: "/", room: "chat:1", event: "say", data: { text: "hi" }, id: "m-1", socket: ada.id });
  assert.equal(find("publish", (d) => d.room === "doc:1").length, 0, "doc:1 is not opted in");

  assert.equal((await emit(ada, "room:leave", { room: "chat:1" })).ok, true);
  bob.disconnect();
  await until("chat:1 is vacated", () => find("room.vacated", (d) => d.room === "chat:1").length === 1);
  assert.equal(find("room.occupied", (d) => d.room === "chat:1").length, 1);
  const occupied = find("room.occupied", (d) => d.room === "chat:1")[0].data;
  const vacated = find("room.vacated", (d) => d.room === "chat:1")[0].data;
  assert.ok(vacated.sequence > occupied.sequence);
  assert.deepEqual(find("presence.join", (d) => d.room === "chat:1").map((e) => e.data.member).sort((a, b) => a.id.localeCompare(b.id)),
    [{ id: "ada", name: "Ada" }, { id: "bob", name: "Bob" }]);
  await until("both leave chat:1", () => find("presence.leave", (d) => d.room === "chat:1").length === 2);
  assert.equal(find("room.occupied", (d) => d.room === ada.id || d.room === bob.id).length, 0, "a socket's own room is never reported");
  ada.disconnect();
  await until("doc:1 is vacated", () => find("room.vacated", (d) => d.room === "doc:1").length === 1);
});

test("each way of leaving is reported with Socket.IO's reason", async () => {
  // A client's socket.id is gone once it disconnects: keep each one before.
  const left = await connect({ id: "cleo" });
  const leftId = left.id;
  left.disconnect();
  const dropped = await connect({ id: "dan" });
  const droppedId = dropped.id;
  dropped.io.engine.close();
  const kicked = await connect({ id: "eve" });
  const kickedId = kicked.id;
  const answer = await fetch(`${SERVER}/api/v1/server/disconnect`, {
    method: "POST",
    headers: { "X-API-Key": API_KEY, "Content-Type": "application/json" },
    body: JSON.stringify({ socket: kickedId }),
  });
  assert.equal(answer.status, 200, await answer.text());
  const reasons = { [leftId]: "client namespace disconnect", [droppedId]: "transport close", [kickedId]: "server namespace disconnect" };
  await until("three disconnects arrive", () => Object.keys(reasons).every((id) => find("disconnect", (d) => d.socket === id).length === 1));
  for (const [socket, reason] of Object.entries(reasons)) {
    assert.equal(find("disconnect", (d) => d.socket === socket)[0].data.reason, reason);
  }
  assert.equal(find("disconnect", (d) => d.socket === leftId)[0].data.user, "cleo");
});
