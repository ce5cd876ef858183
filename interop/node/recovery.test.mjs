// Connection state recovery (server: RecoveryContract): a client whose transport drops and that
// comes back within maxDisconnectionDuration keeps its id, rooms and data, gets every packet it
// missed once and in order, and sees `socket.recovered`; later than that, it starts afresh.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, connected, next, WAIT_MS } from "./support.mjs";

const MAX_DISCONNECTION_MS = Number(process.env.SWITCHBOARD_MAX_DISCONNECTION_MS ?? 1500);
const RECOVERY_MAX_BYTES = Number(process.env.SWITCHBOARD_RECOVERY_MAX_BYTES ?? 262144);

afterEach(() => closeAll());

/** Resolves once `check()` is true, checking every 20 ms; rejects after WAIT_MS. */
async function until(what, check) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Collects `msg` and `direct` payloads in arrival order. */
function inbox(socket) {
  const got = [];
  socket.on("msg", (value) => got.push(value));
  socket.on("direct", (value) => got.push("direct:" + value));
  return got;
}

for (const transports of [["websocket"], ["polling"]]) {
  const mode = transports[0];

  test(`${mode}: a dropped client gets what it missed, once, in order, and is recovered`, async () => {
    const alice = await connected(client("/", { transports }));
    const bob = await connected(client("/", { transports: ["websocket"] }));
    const got = inbox(alice);
    assert.equal(alice.recovered, false);
    await alice.emitWithAck("join", "room");
    const firstId = alice.id;
    const stateBefore = await alice.emitWithAck("state");

    for (const n of [1, 2, 3]) await bob.emitWithAck("publish", "room", n);
    await until("alice has 1..3", () => got.length === 3);

    const dropped = next(alice, "disconnect");
    alice.io.engine.close();
    await dropped;
    await until("the server has noticed", async () =>
      !(await bob.emitWithAck("members", "room")).includes(firstId));

    for (const n of [4, 5, 6]) await bob.emitWithAck("publish", "room", n);
    alice.connect();
    await connected(alice);
    assert.equal(alice.recovered, true, "socket.recovered");
    assert.equal(alice.id, firstId, "same socket id");
    await until("alice has 1..6", () => got.length >= 6);

    // Live again, still in the room, nothing doubled.
    await bob.emitWithAck("publish", "room", 7);
    await until("alice has 7", () => got.length >= 7);
    // Bob's broadcast and Alice's own request travel on different connections: only once 7 is
    // in does the order of the next two arrivals say anything.
    alice.emit("direct", "after");
    await until("alice has the direct echo", () => got.length >= 8);
    assert.deepEqual(got, [1, 2, 3, 4, 5, 6, 7, "direct:after"]);
    const state = await alice.emitWithAck("state");
    assert.equal(state.recovered, true);
    assert.deepEqual(state.rooms, stateBefore.rooms);
    assert.deepEqual(state.data, stateBefore.data);
  });

  test(`${mode}: after maxDisconnectionDuration the client starts afresh`, async () => {
    const alice = await connected(client("/", { transports }));
    const bob = await connected(client("/", { transports: ["websocket"] }));
    inbox(alice);
    await alice.emitWithAck("join", "room");
    await bob.emitWithAck("publish", "room", 1);
    const firstId = alice.id;

    const dropped = next(alice, "disconnect");
    alice.io.engine.close();
    await dropped;
    await new Promise((r) => setTimeout(r, MAX_DISCONNECTION_MS + 300)); // let the session expire
    alice.connect();
    await connected(alice);
    assert.equal(alice.recovered, false);
    assert.notEqual(alice.id, firstId);
    const state = await alice.emitWithAck("state");
    assert.equal(state.recovered, false);
    assert.deepEqual(state.rooms, [alice.id]);
  });
}

test("a client that missed more than the recovery byte budget starts afresh", async () => {
  const alice = await connected(client("/", { transports: ["websocket"] }));
  const bob = await connected(client("/", { transports: ["websocket"] }));
  const got = inbox(alice);
  await alice.emitWithAck("join", "room");
  await bob.emitWithAck("publish", "room", 1);
  await until("alice has 1", () => got.length === 1);
  const firstId = alice.id;

  const dropped = next(alice, "disconnect");
  alice.io.engine.close();
  await dropped;
  await until("the server has noticed", async () =>
    !(await bob.emitWithAck("members", "room")).includes(firstId));
  // What alice misses is more than the server keeps: the oldest of it is gone.
  const big = "x".repeat(100_000);
  for (let sent = 0; sent <= 2 * RECOVERY_MAX_BYTES; sent += big.length) {
    await bob.emitWithAck("publish", "room", big);
  }
  alice.connect();
  await connected(alice);
  assert.equal(alice.recovered, false, "socket.recovered");
  assert.notEqual(alice.id, firstId);
  const state = await alice.emitWithAck("state");
  assert.deepEqual(state.rooms, [alice.id], "a fresh session, in no room");
  await bob.emitWithAck("publish", "room", 2);
  assert.deepEqual(got, [1], "nothing replayed");
});

test("a client that never had a session connects normally", async () => {
  const fresh = await connected(client("/", { auth: { pid: "made-up", offset: "nope-1" } }));
  assert.equal(fresh.recovered, false);
  const state = await fresh.emitWithAck("state");
  assert.equal(state.recovered, false);
});
