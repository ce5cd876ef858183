// A room's presence list on its own, with a socket standing for the server whose answers the test
// releases when it wants.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Room, OfflineQueue } from "../../src/index.js";

/** A socket whose `emitWithAck` answers wait in `waiting` until the test settles them. */
function socket() {
  const waiting = [];
  return {
    waiting,
    emitWithAck: (event, payload) => new Promise((resolve) => waiting.push({ event, payload, resolve })),
    on() {},
    off() {},
  };
}

async function answered(fake, event) {
  while (!fake.waiting.some((w) => w.event === event)) await new Promise((r) => setImmediate(r));
  const at = fake.waiting.findIndex((w) => w.event === event);
  return fake.waiting.splice(at, 1)[0];
}

test("a member who joins while the list is on its way stays in the list the answer brings", async () => {
  const fake = socket();
  const room = new Room("r", fake, new OfflineQueue());
  const joining = room.join();
  (await answered(fake, "room:join")).resolve({ ok: true });
  // The server read the list before ada joined, but her join event reaches the client first.
  const list = await answered(fake, "presence:list");
  room.presenceJoined({ id: "ada" });
  list.resolve({ ok: true, members: [{ id: "bob" }] });
  await joining;
  assert.deepEqual(room.members.map((m) => m.id).sort(), ["ada", "bob"]);
});

test("a member who leaves while the list is on its way is not brought back by the answer", async () => {
  const fake = socket();
  const room = new Room("r", fake, new OfflineQueue());
  const joining = room.join();
  (await answered(fake, "room:join")).resolve({ ok: true });
  const list = await answered(fake, "presence:list");
  room.presenceLeft({ id: "carol" });
  list.resolve({ ok: true, members: [{ id: "bob" }, { id: "carol" }] });
  await joining;
  assert.deepEqual(room.members.map((m) => m.id), ["bob"]);
});

test("a big room's list is read page after page, and one member who joins meanwhile is kept", async () => {
  const fake = socket();
  const room = new Room("r", fake, new OfflineQueue());
  const joining = room.join();
  (await answered(fake, "room:join")).resolve({ ok: true });
  const first = await answered(fake, "presence:list");
  assert.deepEqual(first.payload, { room: "r" });
  first.resolve({ ok: true, members: [{ id: "a" }, { id: "b" }], next: "b" });
  const second = await answered(fake, "presence:list");
  assert.deepEqual(second.payload, { room: "r", after: "b" });
  room.presenceJoined({ id: "zed" });
  second.resolve({ ok: true, members: [{ id: "c" }] });
  await joining;
  assert.deepEqual(room.members.map((m) => m.id).sort(), ["a", "b", "c", "zed"]);
});
