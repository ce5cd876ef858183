import { MemoryStore } from "./stores.js";
import { SwitchboardError } from "./errors.js";

/** Error codes after which the same message is tried again; any other refusal drops it. */
export const RETRYABLE_CODES = new Set(["RATE_LIMITED", "UNAVAILABLE", "INTERNAL", "AUTHZ_UNAVAILABLE"]);

const MINUTE = 60_000;

/** A random UUID (v4), also where `crypto.randomUUID` is missing (pages not served over https). */
export function newId() {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Messages waiting for the server's acknowledgement, kept in a store and sent one at a time in
 * the order they were queued. Each message keeps the id it was given when queued, so a resend
 * after an unanswered attempt is recognised by the server (`{ok: true, duplicate: true}`).
 */
export class OfflineQueue {
  #store;
  #name;
  #maxSize;
  #overflow;
  #ttl;
  #dedupeWindow;
  #retryDelay;
  #maxRetryDelay;
  #now;
  #entries = [];
  #waiters = new Map();
  #listeners = { pending: new Set(), sent: new Set(), dropped: new Set() };
  #seq = 0;
  #sender = null;
  #flushing = false;
  #inFlight = null;
  #wake = null;
  #ready;

  /**
   * @param {object} [options]
   * @param {object} [options.store] where entries live (MemoryStore by default)
   * @param {string} [options.name] the queue's name inside the store
   * @param {number} [options.maxSize] most messages kept (1000)
   * @param {"reject"|"drop-oldest"} [options.overflow] what a send does when full ("reject")
   * @param {number} [options.ttl] ms after which an unsent message is stale and dropped (24 h)
   * @param {number} [options.dedupeWindow] ms after its first attempt within which a message may
   *   still be resent safely; the server remembers ids for 10 minutes (9 minutes)
   */
  constructor({
    store = new MemoryStore(),
    name = "default",
    maxSize = 1000,
    overflow = "reject",
    ttl = 24 * 60 * MINUTE,
    dedupeWindow = 9 * MINUTE,
    retryDelay = 500,
    maxRetryDelay = 15_000,
    now = Date.now,
  } = {}) {
    if (overflow !== "reject" && overflow !== "drop-oldest") {
      throw new TypeError(`overflow must be "reject" or "drop-oldest", not ${JSON.stringify(overflow)}`);
    }
    if (!(maxSize >= 1)) throw new TypeError("maxSize must be at least 1");
    this.#store = store;
    this.#name = name;
    this.#maxSize = maxSize;
    this.#overflow = overflow;
    this.#ttl = ttl;
    this.#dedupeWindow = dedupeWindow;
    this.#retryDelay = retryDelay;
    this.#maxRetryDelay = maxRetryDelay;
    this.#now = now;
    this.#ready = this.#load();
  }

  /** Resolves once the messages kept from earlier runs (a reload) are loaded. */
  get ready() {
    return this.#ready;
  }

  /** Resolves once every store write made so far has landed. */
  get saved() {
    return this.#io;
  }

  /** How many messages wait for an acknowledgement (including one being sent). */
  get pending() {
    return this.#entries.length;
  }

  /** A copy of the waiting messages, oldest first. */
  get entries() {
    return this.#entries.map((entry) => ({ ...entry }));
  }

  /**
   * Queues `payload` (an object) to be emitted as `event` with an `id` added (kept when the
   * payload has one). Resolves with the server's answer (`{ok: true, duplicate?}`); rejects with
   * a SwitchboardError when the message is dropped: QUEUE_FULL, QUEUE_OVERFLOW, EXPIRED,
   * UNCERTAIN, or the server's refusal code.
   */
  send(event, payload = {}) {
    if (typeof event !== "string" || event.length === 0) {
      return Promise.reject(new TypeError("event must be a non-empty string"));
    }
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
      return Promise.reject(new TypeError("payload must be an object (the queue adds its id to it)"));
    }
    if (this.#entries.length >= this.#maxSize) {
      const victim = this.#overflow === "drop-oldest" ? this.#entries.find((entry) => entry !== this.#inFlight) : undefined;
      if (!victim) {
        return Promise.reject(new SwitchboardError("QUEUE_FULL", `the offline queue holds ${this.#maxSize} messages already`));
      }
      this.#drop(victim, new SwitchboardError("QUEUE_OVERFLOW", "dropped to make room for a newer message"));
    }
    const id = typeof payload.id === "string" ? payload.id : newId();
    const entry = {
      id,
      queue: this.#name,
      seq: this.#seq++,
      event,
      payload: { ...payload, id },
      createdAt: this.#now(),
    };
    const done = new Promise((resolve, reject) => this.#waiters.set(id, { resolve, reject }));
    this.#entries.push(entry);
    this.#persist(() => this.#store.put(entry));
    this.#notifyPending();
    this.#kick();
    return done;
  }

  /**
   * Starts sending through `sender(entry) => Promise<answer>`, which rejects when no answer came
   * (a timeout or a lost connection).
   */
  online(sender) {
    this.#sender = sender;
    this.#wakeUp();
    this.#kick();
  }

  /** Stops sending; messages wait for the next `online`. */
  offline() {
    this.#sender = null;
    this.#wakeUp();
  }

  /** Subscribes to "pending" (count), "sent" (entry, answer) or "dropped" (entry, error); returns the unsubscribe function. */
  on(type, listener) {
    const set = this.#listeners[type];
    if (!set) throw new TypeError(`unknown queue event ${type}`);
    set.add(listener);
    return () => set.delete(listener);
  }

  async #load() {
    let kept;
    try {
      kept = await this.#store.load(this.#name);
    } catch (error) {
      console.warn("switchboard: the offline queue could not read its store", error);
      kept = [];
    }
    // Messages queued before the load finished come after the kept ones.
    const fresh = this.#entries;
    this.#seq = Math.max(this.#seq, ...kept.map((entry) => entry.seq + 1));
    for (const entry of fresh) {
      entry.seq = this.#seq++;
      this.#persist(() => this.#store.put(entry));
    }
    this.#entries = [...kept, ...fresh];
    while (this.#entries.length > this.#maxSize) {
      this.#drop(this.#entries[0], new SwitchboardError("QUEUE_OVERFLOW", "more messages were kept than the queue holds"));
    }
    if (kept.length > 0) this.#notifyPending();
  }

  #kick() {
    if (!this.#flushing && this.#sender) this.#flush();
  }

  async #flush() {
    this.#flushing = true;
    try {
      await this.#ready;
      let attempt = 0;
      while (this.#sender && this.#entries.length > 0) {
        const entry = this.#entries[0];
        const stale = this.#staleness(entry);
        if (stale) {
          this.#drop(entry, stale);
          continue;
        }
        if (entry.sentAt === undefined) {
          // Recorded before the first attempt: past the server's memory of the id, a resend
          // could be delivered twice, so the window must count from here even across a crash.
          entry.sentAt = this.#now();
          await this.#persist(() => this.#store.put(entry));
        }
        const sender = this.#sender;
        if (!sender) break;
        let answer;
        this.#inFlight = entry;
        try {
          answer = await sender(entry);
        } catch {
          answer = undefined;
        } finally {
          this.#inFlight = null;
        }
        if (!this.#entries.includes(entry)) continue;
        if (answer?.ok === true) {
          attempt = 0;
          this.#settle(entry, answer);
          continue;
        }
        const code = answer?.error?.code;
        if (answer === undefined || RETRYABLE_CODES.has(code)) {
          if (!this.#sender) break;
          await this.#sleep(Math.min(this.#maxRetryDelay, this.#retryDelay * 2 ** attempt++));
          continue;
        }
        attempt = 0;
        this.#drop(entry, new SwitchboardError(code ?? "INVALID_ANSWER",
          answer?.error?.message ?? `unexpected answer ${JSON.stringify(answer)}`));
      }
    } finally {
      this.#flushing = false;
    }
    if (this.#sender && this.#entries.length > 0) this.#flush();
  }

  #staleness(entry) {
    const now = this.#now();
    if (entry.sentAt !== undefined && now - entry.sentAt > this.#dedupeWindow) {
      return new SwitchboardError("UNCERTAIN",
        "no answer came within the server's de-duplication window; the message may or may not have been delivered");
    }
    if (entry.sentAt === undefined && now - entry.createdAt > this.#ttl) {
      return new SwitchboardError("EXPIRED", "the message waited longer than the queue's ttl");
    }
    return undefined;
  }

  #settle(entry, answer) {
    this.#remove(entry);
    for (const listener of this.#listeners.sent) listener({ ...entry }, answer);
    this.#waiters.get(entry.id)?.resolve(answer);
    this.#waiters.delete(entry.id);
  }

  #drop(entry, error) {
    this.#remove(entry);
    for (const listener of this.#listeners.dropped) listener({ ...entry }, error);
    const waiter = this.#waiters.get(entry.id);
    this.#waiters.delete(entry.id);
    waiter?.reject(error);
  }

  #remove(entry) {
    const index = this.#entries.indexOf(entry);
    if (index < 0) return;
    this.#entries.splice(index, 1);
    this.#persist(() => this.#store.delete(entry.id));
    this.#notifyPending();
  }

  #notifyPending() {
    const count = this.#entries.length;
    for (const listener of this.#listeners.pending) listener(count);
  }

  #io = Promise.resolve();

  /** Runs store writes one after another, so a delete never overtakes its put. */
  #persist(write) {
    this.#io = this.#io.then(write).catch((error) => {
      console.warn("switchboard: the offline queue could not write its store", error);
    });
    return this.#io;
  }

  #sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => {
      this.#wake = null;
    });
  }

  #wakeUp() {
    this.#wake?.();
  }
}
