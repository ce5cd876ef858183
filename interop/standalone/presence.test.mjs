// Presence, history and de-duplication of the standalone server's built-in events.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";

const SERVER = process.env.SWITCHBOARD_URL;
const WAIT_MS = 5000;
const DEAD_AFTER_MS = Number(process.env.SWITCHBOARD_DEAD_AFTER_MS ?? 1000);
const opened = [];

afterEach(() => {
  for (const s of opened.splice(0)) s.disconnect();
});

function connect(user) {
  const socket = io(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, auth: user ? { user } : {} });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
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
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function join(socket, room) {
  const answer = await socket.emitWithAck("room:join", { room });
  assert.equal(answer.ok, true, JSON.stringify(answer));
}

test("two tabs of one user: one presence:join, and one presence:leave only after both are gone", async () => {
  const observer = await connect({ id: "watcher", name: "Watcher" });
  await join(observer, "doc:1");
  const joins = collect(observer, "presence:join");
  const leaves = collect(observer, "presence:leave");

  const tab1 = await connect({ id: "ada", name: "Ada" });
  await join(tab1, "doc:1");
  const tab2 = await connect({ id: "ada", name: "Ada" });
  await join(tab2, "doc:1");
  await until("ada is listed", async () =>
    (await observer.emitWithAck("presence:list", { room: "doc:1" })).members.some((m) => m.id === "ada"));
  const list = await observer.emitWithAck("presence:list", { room: "doc:1" });
  assert.deepEqual(list.members.map((m) => m.id).sort(), ["ada", "watcher"]);
  assert.equal(list.members.find((m) => m.id === "ada").name, "Ada");
  assert.equal(joins.length, 1);
  assert.deepEqual(joins[0], { room: "doc:1", member: { name: "Ada", id: "ada" } });

  // Tab 1 leaves; once it has its answer, any leave event would already be on its way to the
  // observer, ahead of the observer's next answer.
  assert.equal((await tab1.emitWithAck("room:leave", { room: "doc:1" })).ok, true);
  const second = await observer.emitWithAck("presence:list", { room: "doc:1" });
  assert.ok(second.members.some((m) => m.id === "ada"), "still present through tab 2");
  assert.equal(leaves.length, 0);

  tab2.disconnect();
  await until("presence:leave arrives", () => leaves.length === 1);
  assert.deepEqual(leaves[0], { room: "doc:1", member: { name: "Ada", id: "ada" } });
  const after = await observer.emitWithAck("presence:list", { room: "doc:1" });
  assert.deepEqual(after.members.map((m) => m.id), ["watcher"]);
});

test("a connection frozen at the TCP level leaves presence within the heartbeat expiry", async () => {
  const observer = await connect({ id: "watcher2", name: "Watcher" });
  await join(observer, "doc:2");
  const leaves = collect(observer, "presence:leave");
  const tab = fork(fileURLToPath(new URL("./tab.mjs", import.meta.url)), [SERVER, "doc:2", "bob", "Bob"], { stdio: "inherit" });
  try {
    const ready = await new Promise((resolve, reject) => {
      tab.once("message", resolve);
      tab.once("exit", (code) => reject(new Error("tab exited with " + code)));
    });
    assert.equal(ready.ready, true);
    await until("bob is listed", async () =>
      (await observer.emitWithAck("presence:list", { room: "doc:2" })).members.some((m) => m.id === "bob"));
    const frozenAt = Date.now();
    tab.kill("SIGSTOP"); // no FIN, no pong: only the heartbeat can tell
    await until("presence:leave for bob", () => leaves.some((l) => l.member.id === "bob"), DEAD_AFTER_MS + 3000);
    const took = Date.now() - frozenAt;
    assert.ok(took <= DEAD_AFTER_MS + 1000, `left after ${took} ms`);
    console.log(`frozen connection left presence after ${took} ms (heartbeat allows ${DEAD_AFTER_MS} ms)`);
  } finally {
    tab.kill("SIGKILL");
  }
});

test("a resend with the same message id reaches the room once", async () => {
  const sender = await connect();
  const receiver = await connect();
  await join(sender, "chat:dedupe");
  await join(receiver, "chat:dedupe");
  const got = collect(receiver, "chat");
  const message = { room: "chat:dedupe", event: "chat", data: { text: "hello" }, id: "msg-" + Date.now() };
  const first = await sender.emitWithAck("room:publish", message);
  const again = await sender.emitWithAck("room:publish", message);
  assert.equal(first.ok, true);
  assert.equal(first.duplicate, undefined);
  assert.deepEqual(again, { ok: true, duplicate: true });
  // A resend from another connection (a reloaded page) is caught too.
  const reloaded = await connect();
  await join(reloaded, "chat:dedupe");
  assert.deepEqual(await reloaded.emitWithAck("room:publish", message), { ok: true, duplicate: true });
  const fence = await sender.emitWithAck("room:publish", { room: "chat:dedupe", event: "chat", data: { text: "fence" } });
  assert.equal(fence.ok, true);
  await until("the fence arrives", () => got.length === 2);
  assert.deepEqual(got.map((d) => d.text), ["hello", "fence"]);
});

test("history answers what a room kept, from a position, with a limit", async () => {
  const socket = await connect();
  await join(socket, "chat:history");
  for (const n of [1, 2, 3]) {
    await socket.emitWithAck("room:publish", { room: "chat:history", event: "chat", data: { n } });
  }
  const all = await socket.emitWithAck("history", { room: "chat:history" });
  assert.equal(all.ok, true);
  assert.deepEqual(all.messages.map((m) => m.data.n), [1, 2, 3]);
  const afterFirst = await socket.emitWithAck("history", { room: "chat:history", since: all.messages[0].position, limit: 1 });
  assert.deepEqual(afterFirst.messages.map((m) => m.data.n), [2]);
  assert.equal(afterFirst.more, true);
  assert.equal(afterFirst.gap, false);
  const otherEpoch = await socket.emitWithAck("history", { room: "chat:history", since: "elsewhere:2" });
  assert.equal(otherEpoch.gap, true);
  const outsider = await connect();
  const refused = await outsider.emitWithAck("history", { room: "chat:history" });
  assert.equal(refused.error.code, "NOT_IN_ROOM");
});
