// The offline queue on its own, with a sender standing for the server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { OfflineQueue, MemoryStore, SwitchboardError } from "../../src/index.js";

/** A sender that answers from `answer(entry)` and records every attempt. */
function server(answer = () => ({ ok: true })) {
  const attempts = [];
  return { attempts, send: async (entry) => { attempts.push(entry.payload); return answer(entry, attempts.length); } };
}

function settled(queue, count) {
  return new Promise((resolve) => {
    if (queue.pending === count) return resolve();
    const off = queue.on("pending", (n) => { if (n === count) { off(); resolve(); } });
  });
}

test("messages queued while offline go out in order, each with its own id, and pending counts them", async () => {
  const queue = new OfflineQueue();
  const counts = [];
  queue.on("pending", (n) => counts.push(n));
  const answers = [1, 2, 3].map((n) => queue.send("room:publish", { room: "r", data: n }));
  assert.equal(queue.pending, 3);
  const backend = server();
  queue.online(backend.send);
  await Promise.all(answers);
  assert.deepEqual(backend.attempts.map((p) => p.data), [1, 2, 3]);
  assert.equal(new Set(backend.attempts.map((p) => p.id)).size, 3);
  assert.equal(queue.pending, 0);
  assert.deepEqual(counts, [1, 2, 3, 2, 1, 0]);
});

test("an unanswered attempt is retried with the same id, and the duplicate answer settles it", async () => {
  const queue = new OfflineQueue({ retryDelay: 1 });
  const backend = server((entry, n) => {
    if (n === 1) throw new Error("ack timeout");
    return { ok: true, duplicate: true };
  });
  const answer = queue.send("room:publish", { room: "r" });
  queue.online(backend.send);
  assert.deepEqual(await answer, { ok: true, duplicate: true });
  assert.equal(backend.attempts.length, 2);
  assert.equal(backend.attempts[0].id, backend.attempts[1].id);
});

test("going offline mid-send keeps the message for the next connection; later ones wait behind it", async () => {
  const queue = new OfflineQueue();
  let release;
  const first = server(() => new Promise((_, reject) => { release = reject; }));
  const a = queue.send("e", { n: 1 });
  const b = queue.send("e", { n: 2 });
  queue.online(first.send);
  await new Promise((r) => setImmediate(r));
  queue.offline();
  release(new Error("disconnected"));
  await new Promise((r) => setImmediate(r));
  assert.equal(queue.pending, 2);
  const second = server();
  queue.online(second.send);
  await Promise.all([a, b]);
  assert.deepEqual(second.attempts.map((p) => p.n), [1, 2]);
  assert.equal(second.attempts[0].id, first.attempts[0].id);
});

test("retryable refusals are retried; other refusals drop the message with the server's code", async () => {
  const queue = new OfflineQueue({ retryDelay: 1 });
  const dropped = [];
  queue.on("dropped", (entry, error) => dropped.push([entry.payload.n, error.code]));
  const backend = server((entry, n) => {
    if (n === 1) return { ok: false, error: { code: "RATE_LIMITED", message: "slow down" } };
    if (entry.payload.n === 2) return { ok: false, error: { code: "FORBIDDEN_ROOM", message: "no" } };
    return { ok: true };
  });
  const a = queue.send("e", { n: 1 });
  const b = queue.send("e", { n: 2 });
  const c = queue.send("e", { n: 3 });
  queue.online(backend.send);
  await a;
  await assert.rejects(b, (e) => e instanceof SwitchboardError && e.code === "FORBIDDEN_ROOM");
  await c;
  assert.deepEqual(backend.attempts.map((p) => p.n), [1, 1, 2, 3]);
  assert.deepEqual(dropped, [[2, "FORBIDDEN_ROOM"]]);
});

test("a full queue rejects new messages by default, or drops the oldest when asked", async () => {
  const strict = new OfflineQueue({ maxSize: 2 });
  strict.send("e", { n: 1 }); strict.send("e", { n: 2 });
  await assert.rejects(strict.send("e", { n: 3 }), (e) => e.code === "QUEUE_FULL");
  assert.deepEqual(strict.entries.map((e) => e.payload.n), [1, 2]);

  const lenient = new OfflineQueue({ maxSize: 2, overflow: "drop-oldest" });
  const oldest = lenient.send("e", { n: 1 });
  lenient.send("e", { n: 2 }); lenient.send("e", { n: 3 });
  await assert.rejects(oldest, (e) => e.code === "QUEUE_OVERFLOW");
  assert.deepEqual(lenient.entries.map((e) => e.payload.n), [2, 3]);
  assert.throws(() => new OfflineQueue({ overflow: "whatever" }), TypeError);
});

test("stale messages expire unsent; one unanswered past the de-duplication window is dropped as UNCERTAIN, not resent", async () => {
  let now = 1_000;
  const queue = new OfflineQueue({ ttl: 100, dedupeWindow: 50, retryDelay: 1, now: () => now });
  const old = queue.send("e", { n: 1 });
  now += 101;
  const backend = server((entry) => {
    if (entry.payload.n === 2) { now += 51; throw new Error("no answer"); }
    return { ok: true };
  });
  const uncertain = queue.send("e", { n: 2 });
  const fine = queue.send("e", { n: 3 });
  queue.online(backend.send);
  await assert.rejects(old, (e) => e.code === "EXPIRED");
  await assert.rejects(uncertain, (e) => e.code === "UNCERTAIN");
  await fine;
  assert.deepEqual(backend.attempts.map((p) => p.n), [2, 3]);
});

test("a new queue over the same store sends what an earlier one left, with the same ids, before its own", async () => {
  const store = new MemoryStore();
  const before = new OfflineQueue({ store, name: "q" });
  before.send("e", { n: 1 }).catch(() => {});
  before.send("e", { n: 2 }).catch(() => {});
  await before.ready;
  await before.saved;
  const ids = before.entries.map((e) => e.id);
  const after = new OfflineQueue({ store, name: "q" });
  const own = after.send("e", { n: 3 });
  const other = new OfflineQueue({ store, name: "other" });
  await Promise.all([after.ready, other.ready]);
  assert.equal(after.pending, 3);
  assert.equal(other.pending, 0);
  const backend = server();
  after.online(backend.send);
  await own;
  await settled(after, 0);
  assert.deepEqual(backend.attempts.map((p) => p.n), [1, 2, 3]);
  assert.deepEqual(backend.attempts.slice(0, 2).map((p) => p.id), ids);
  assert.deepEqual(await store.load("q"), []);
});

test("bad input is refused at once and loses nothing queued", async () => {
  const queue = new OfflineQueue();
  queue.send("e", { n: 1 }).catch(() => {});
  await assert.rejects(queue.send("", {}), TypeError);
  await assert.rejects(queue.send("e", "text"), TypeError);
  await assert.rejects(queue.send("e", [1]), TypeError);
  assert.equal(queue.pending, 1);
});
