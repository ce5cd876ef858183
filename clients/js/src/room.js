import { SwitchboardError, unwrap } from "./errors.js";

/**
 * One room as this client sees it: membership it wants (joined again after a reconnection that
 * was not recovered), messages, history and a presence list kept live from `presence:list` (every
 * page) and `presence:diff` (or `presence:join` / `presence:leave`, replayed by a recovery).
 */
export class Room {
  #socket;
  #queue;
  #wanted = undefined; // true after join(), false after leave(), undefined before either
  #joining = null;
  #members = new Map();
  #presenceListeners = new Set();
  #listRequest = 0;
  /** Presence events that came while the newest list request was out, to apply again on its answer. */
  #sinceListRequest = null;

  constructor(name, socket, queue) {
    this.name = name;
    this.#socket = socket;
    this.#queue = queue;
  }

  /** The socket this room belongs to. */
  get socket() {
    return this.#socket;
  }

  /** Whether this client asked to be in the room (join() without a later leave()). */
  get joined() {
    return this.#wanted === true;
  }

  /** The members present now, as the server lists them (`{id, ...info}`). */
  get members() {
    return [...this.#members.values()];
  }

  /** Joins the room and loads its presence list; rejects with the server's refusal. */
  async join() {
    this.#wanted = true;
    let answer;
    try {
      answer = await this.#joinOnce();
    } catch (error) {
      if (error instanceof SwitchboardError) this.#wanted = false;
      throw error;
    }
    await this.refreshPresence();
    return answer;
  }

  /** Leaves the room; its presence list empties. */
  async leave() {
    this.#wanted = false;
    this.#listRequest++;
    this.#sinceListRequest = null;
    this.#members.clear();
    this.#notifyPresence();
    return unwrap(await this.#socket.emitWithAck("room:leave", { room: this.name }));
  }

  /**
   * Publishes through the offline queue: sent at once when connected, else after the
   * reconnection, exactly once. Resolves with the server's answer (`{ok, position?, duplicate?}`).
   */
  publish(event, data) {
    return this.#queue.send("room:publish", { room: this.name, event, data });
  }

  /** Listens to `event` published in this room: `handler(data, meta)`; returns the unsubscribe function. */
  on(event, handler) {
    const listener = (data, meta) => {
      if (meta?.room === this.name) handler(data, meta);
    };
    this.#socket.on(event, listener);
    return () => this.#socket.off(event, listener);
  }

  /** The room's messages after `since` (a position): `{messages, head, gap, more}`. */
  async history({ since, limit } = {}) {
    const request = { room: this.name };
    if (since !== undefined) request.since = since;
    if (limit !== undefined) request.limit = limit;
    return unwrap(await this.#socket.emitWithAck("history", request));
  }

  /** Calls `listener(members)` now and on every change of the presence list; returns the unsubscribe function. */
  onPresence(listener) {
    this.#presenceListeners.add(listener);
    listener(this.members);
    return () => this.#presenceListeners.delete(listener);
  }

  /** Replaces the presence list with the server's. */
  async refreshPresence() {
    if (!this.joined || this.#joining) return; // a join under way loads the list once answered
    const request = ++this.#listRequest;
    const since = [];
    this.#sinceListRequest = since;
    const members = new Map();
    try {
      // A big room's list comes in pages: `next` names the member to continue after.
      let after;
      do {
        const answer = unwrap(await this.#socket.emitWithAck("presence:list",
          after === undefined ? { room: this.name } : { room: this.name, after }));
        for (const member of answer.members) members.set(member.id, member);
        after = answer.next;
        if (request !== this.#listRequest) return;
      } while (after !== undefined && after !== null);
    } finally {
      if (request === this.#listRequest) this.#sinceListRequest = null;
    }
    // The list may have been read before an event that reached this client ahead of it (a member
    // who joined while the answer was on its way): the events that came meanwhile are applied
    // again on top, in order. A newer request or a leave makes the answer obsolete.
    if (request !== this.#listRequest || !this.joined) return;
    this.#members = members;
    for (const [joined, member] of since) {
      if (joined) this.#members.set(member.id, member);
      else this.#members.delete(member.id);
    }
    this.#notifyPresence();
  }

  /** Joins again after a reconnection that lost the session (a recovered one keeps its rooms). */
  async rejoin() {
    // a join still waiting for its answer (sent before the first connection) is the caller's to report
    if (this.joined && !this.#joining) await this.#joinOnce();
  }

  /** Joins before a queued publish is sent, unless the application left the room in this run. */
  async ensureJoinedFor() {
    if (this.#wanted === undefined) await this.join();
    else if (this.#joining) await this.#joining;
  }

  presenceJoined(member) {
    if (!this.joined) return;
    this.#sinceListRequest?.push([true, member]);
    this.#members.set(member.id, member);
    this.#notifyPresence();
  }

  presenceLeft(member) {
    this.#sinceListRequest?.push([false, member]);
    if (this.#members.delete(member.id)) this.#notifyPresence();
  }

  #joinOnce() {
    if (!this.#joining) {
      this.#joining = this.#socket.emitWithAck("room:join", { room: this.name })
        .then(unwrap)
        .finally(() => {
          this.#joining = null;
        });
    }
    return this.#joining;
  }

  #notifyPresence() {
    const members = this.members;
    for (const listener of this.#presenceListeners) listener(members);
  }
}
