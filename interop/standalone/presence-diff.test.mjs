// Batched presence (presence:diff for clients that ask with auth.presenceDiff) and presence:list pages.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const SERVER = process.env.SWITCHBOARD_URL;
// In a cluster, the second node; else the same one.
const SERVER_B = process.env.SWITCHBOARD_URL_B ?? SERVER;
const WAIT_MS = 10000;
const opened = [];

afterEach(() => {
  for (const s of opened.splice(0)) s.disconnect();
});

function connect(user, { diffs = false, url = SERVER } = {}) {
  const auth = { user };
  if (diffs) auth.presenceDiff = true;
  const socket = io(url, { forceNew: true, transports: ["websocket"], reconnection: false, auth });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

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

async function leave(socket, room) {
  const answer = await socket.emitWithAck("room:leave", { room });
  assert.equal(answer.ok, true, JSON.stringify(answer));
}

/** The diffs of `room` (a connection is also in its user room `user:{id}`, which tracks presence too). */
function diffsOf(socket, room) {
  const got = [];
  socket.on("presence:diff", (diff) => {
    if (diff.room === room) got.push(diff);
  });
  return got;
}

/** The ids every diff so far named as joined or left, in arrival order. */
function named(diffs, list) {
  return diffs.flatMap((diff) => diff[list].map((member) => member.id));
}

test("a client that asks gets presence:diff; one that does not gets presence:join and presence:leave", async () => {
  const room = "diff:1";
  const old = await connect({ id: "old", name: "Old" });
  await join(old, room);
  const fresh = await connect({ id: "fresh", name: "Fresh" }, { diffs: true });
  await join(fresh, room);
  const oldJoins = collect(old, "presence:join");
  const oldLeaves = collect(old, "presence:leave");
  const diffs = diffsOf(fresh, room);
  const freshEvents = [...collect(fresh, "presence:join"), ...collect(fresh, "presence:leave")];

  const ids = Array.from({ length: 10 }, (_, i) => `user-${i}`);
  const members = [];
  for (const [i, id] of ids.entries()) {
    const socket = await connect({ id, name: `User ${i}` }, { url: i % 2 ? SERVER_B : SERVER });
    await join(socket, room);
    members.push(socket);
  }
  await until("every join is in a diff", () => ids.every((id) => named(diffs, "joined").includes(id)));
  // In a cluster fresh's own arrival may reach the old client after it started listening, and
  // arrivals announced by two nodes may cross: compare the sets.
  const heard = () => oldJoins.map((e) => e.member.id).filter((id) => ids.includes(id));
  await until("the old client heard every join", () => heard().length === ids.length);
  assert.deepEqual(heard().sort(), [...ids].sort());
  assert.ok(diffs.length < ids.length, `${diffs.length} diffs for ${ids.length} joins`);
  for (const diff of diffs) {
    assert.deepEqual(Object.keys(diff).sort(), ["joined", "left", "room"]);
  }
  assert.deepEqual(diffs.flatMap((d) => d.joined).find((m) => m.id === "user-3"), { id: "user-3", name: "User 3" });

  members[0].disconnect();
  await leave(members[1], room);
  await until("both leaves are in a diff", () => ["user-0", "user-1"].every((id) => named(diffs, "left").includes(id)));
  await until("the old client heard both leaves", () => oldLeaves.length === 2);
  assert.deepEqual(freshEvents, [], "no per-change event for a client that asked for diffs");
});

// A client that read presence:list between the two would keep a ghost if the pair were folded away.
test("a member who joins and leaves within one window is told as gone", async () => {
  const room = "diff:2";
  const watcher = await connect({ id: "watcher", name: "Watcher" }, { diffs: true });
  const diffs = diffsOf(watcher, room);
  await join(watcher, room);
  await until("the watcher's own arrival is told", () => named(diffs, "joined").includes("watcher"));

  const bob = await connect({ id: "bob", name: "Bob" }, { url: SERVER_B });
  await join(bob, room);
  await leave(bob, room);
  await until("bob's departure is told", () => named(diffs, "left").includes("bob"));
  // Whether his arrival and departure fell in one window or two, the last word on him is "left".
  const lastWord = diffs.filter((diff) => [...diff.joined, ...diff.left].some((m) => m.id === "bob")).at(-1);
  assert.ok(lastWord.left.some((m) => m.id === "bob"), JSON.stringify(diffs));
});

test("two tabs of one user: one arrival with the first, one departure with the last", async () => {
  const room = "diff:3";
  const watcher = await connect({ id: "watcher3", name: "Watcher" }, { diffs: true });
  const diffs = diffsOf(watcher, room);
  await join(watcher, room);
  const tab1 = await connect({ id: "ada", name: "Ada" });
  await join(tab1, room);
  await until("ada's arrival is told", () => named(diffs, "joined").includes("ada"));
  const tab2 = await connect({ id: "ada", name: "Ada" }, { url: SERVER_B });
  await join(tab2, room);
  await leave(tab1, room);
  const list = await watcher.emitWithAck("presence:list", { room });
  assert.ok(list.members.some((m) => m.id === "ada"), "present through tab 2");
  tab2.disconnect();
  await until("ada's departure is told", () => named(diffs, "left").includes("ada"));
  assert.deepEqual(named(diffs, "joined").filter((id) => id === "ada"), ["ada"]);
  assert.deepEqual(named(diffs, "left").filter((id) => id === "ada"), ["ada"]);
});

test("presence:list answers small rooms whole and large ones in pages", { skip: process.env.SWITCHBOARD_SKIP_CROWD === "true" }, async () => {
  const small = await connect({ id: "solo", name: "Solo" });
  await join(small, "diff:small");
  const whole = await small.emitWithAck("presence:list", { room: "diff:small" });
  assert.deepEqual(whole, { ok: true, room: "diff:small", members: [{ id: "solo", name: "Solo" }] });
  const refused = await small.emitWithAck("presence:list", { room: "diff:small", limit: 1001 });
  assert.equal(refused.error.code, "INVALID_REQUEST");

  const room = "diff:crowd";
  const total = 2500;
  const ids = Array.from({ length: total }, (_, i) => `m${String(i).padStart(4, "0")}`);
  for (let i = 0; i < total; i += 250) {
    await Promise.all(ids.slice(i, i + 250).map(async (id, j) => {
      // Diffs: per-change events would cost every member an event per arrival, 3 million in all.
      const socket = await connect({ id }, { url: (i + j) % 2 ? SERVER_B : SERVER, diffs: true });
      await join(socket, room);
    }));
  }
  const lister = opened[opened.length - 1];
  await until("every member is recorded", async () => {
    let count = 0;
    let after;
    do {
      const page = await lister.emitWithAck("presence:list", { room, after });
      count += page.members.length;
      after = page.next;
    } while (after);
    return count === total;
  });

  // A client that asks for no page gets the first one and where to go on.
  const first = await lister.emitWithAck("presence:list", { room });
  assert.equal(first.ok, true);
  assert.equal(first.members.length, 1000);
  assert.equal(first.next, ids[999]);
  const seen = [...first.members.map((m) => m.id)];
  let after = first.next;
  const sizes = [first.members.length];
  while (after) {
    const page = await lister.emitWithAck("presence:list", { room, after, limit: 1000 });
    seen.push(...page.members.map((m) => m.id));
    sizes.push(page.members.length);
    after = page.next;
  }
  assert.deepEqual(sizes, [1000, 1000, 500]);
  assert.deepEqual(seen, ids);
  const smaller = await lister.emitWithAck("presence:list", { room, limit: 10 });
  assert.deepEqual(smaller.members.map((m) => m.id), ids.slice(0, 10));
  assert.equal(smaller.next, ids[9]);
});
