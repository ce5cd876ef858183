// Where queued messages live until the server has acknowledged them.
// A store keeps entries {id, queue, seq, event, payload, createdAt, sentAt?} and hands them back in
// `seq` order; every method returns a promise.

/** Keeps entries for the life of the page or process. */
export class MemoryStore {
  #entries = new Map();

  async load(queue) {
    return [...this.#entries.values()]
      .filter((entry) => entry.queue === queue)
      .sort((a, b) => a.seq - b.seq)
      .map((entry) => ({ ...entry }));
  }

  async put(entry) {
    this.#entries.set(entry.id, { ...entry });
  }

  async delete(id) {
    this.#entries.delete(id);
  }
}

const OBJECT_STORE = "messages";

/**
 * Keeps entries in IndexedDB, so they outlive a reload, a crash or a closed tab. Every queue of
 * the origin shares one database; entries are told apart by their queue name.
 */
export class IndexedDBStore {
  #db;

  /** @param {{name?: string, indexedDB?: IDBFactory}} [options] */
  constructor({ name = "switchboard-client", indexedDB = globalThis.indexedDB } = {}) {
    if (!indexedDB) throw new Error("IndexedDB is not available here");
    this.#db = new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(OBJECT_STORE, { keyPath: "id" });
        store.createIndex("queue", "queue");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error(`IndexedDB database ${name} is blocked by another tab's older version`));
    });
  }

  async load(queue) {
    const entries = await this.#run("readonly", (store) => store.index("queue").getAll(queue));
    return entries.sort((a, b) => a.seq - b.seq);
  }

  async put(entry) {
    await this.#run("readwrite", (store) => store.put(entry));
  }

  async delete(id) {
    await this.#run("readwrite", (store) => store.delete(id));
  }

  async #run(mode, action) {
    const db = await this.#db;
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(OBJECT_STORE, mode);
      const request = action(transaction.objectStore(OBJECT_STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB transaction aborted"));
    });
  }
}

/** IndexedDB where the platform has it (browsers), memory otherwise (Node). */
export function defaultStore() {
  return globalThis.indexedDB ? new IndexedDBStore() : new MemoryStore();
}
