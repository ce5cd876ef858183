// IndexedDBStore's persistence across a "reload" (a new store and queue on the same database),
// on fake-indexeddb under Node; the browser test runs it on Chromium's real IndexedDB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { IDBFactory } from "fake-indexeddb";
import { IndexedDBStore, OfflineQueue } from "../../src/index.js";

test("queued messages outlive the page: a new queue on the same database sends them in order with their ids", async () => {
  const indexedDB = new IDBFactory();
  const first = new OfflineQueue({ store: new IndexedDBStore({ indexedDB }), name: "ws://a" });
  for (let n = 1; n <= 5; n++) first.send("room:publish", { room: "r", n }).catch(() => {});
  await first.ready;
  await first.saved;
  const ids = first.entries.map((e) => e.id);
  const reloadedStore = new IndexedDBStore({ indexedDB });
  const kept = await reloadedStore.load("ws://a");
  assert.deepEqual(kept.map((e) => e.id), ids);
  const reloaded = new OfflineQueue({ store: reloadedStore, name: "ws://a" });
  await reloaded.ready;
  assert.equal(reloaded.pending, 5);
  const sent = [];
  reloaded.online(async (entry) => { sent.push(entry.payload); return { ok: true }; });
  await new Promise((resolve) => reloaded.on("pending", (n) => n === 0 && resolve()));
  assert.deepEqual(sent.map((p) => p.n), [1, 2, 3, 4, 5]);
  assert.deepEqual(sent.map((p) => p.id), ids);
  await reloaded.saved;
  assert.deepEqual(await reloadedStore.load("ws://a"), []);
  assert.deepEqual(await reloadedStore.load("ws://other"), []);
});
