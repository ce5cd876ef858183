import { io } from "socket.io-client";
import { OfflineQueue } from "./queue.js";
import { Room } from "./room.js";
import { defaultStore } from "./stores.js";

export { OfflineQueue, newId, RETRYABLE_CODES } from "./queue.js";
export { MemoryStore, IndexedDBStore, defaultStore } from "./stores.js";
export { SwitchboardError } from "./errors.js";
export { Room } from "./room.js";
export { stream } from "./stream.js";
export { call } from "./call.js";

/**
 * Connects with the official socket.io-client and returns its socket with Switchboard's helpers:
 * `send`, `room`, `queue`, `pending`. The token (`token`, or `getToken()` asked before every
 * connection and on `auth:expiring`) goes in the CONNECT packet's `auth.token`.
 */
export function connect(url, options = {}) {
  const { token, getToken, auth: baseAuth, queue: queueOptions = {}, ackTimeout = 10_000, onError, ...ioOptions } = options;
  if (token !== undefined && getToken !== undefined) throw new TypeError("give token or getToken, not both");
  const report = onError ?? ((error) => console.warn("switchboard:", error));
  let current = token;

  async function freshToken() {
    if (getToken) current = await getToken();
    return current;
  }

  function authPayload(cb) {
    const base = { presenceDiff: true, ...(baseAuth && typeof baseAuth === "object" ? baseAuth : {}) };
    const send = (value) => cb(value === undefined ? base : { ...base, token: value });
    if (!getToken) return send(current);
    freshToken().then(send, (error) => {
      report(error);
      send(current);
    });
  }

  const socket = io(url, { ...ioOptions, auth: authPayload });
  const queue = new OfflineQueue({
    store: queueOptions.store ?? defaultStore(),
    name: queueOptions.name ?? String(url),
    ...queueOptions,
  });
  const rooms = new Map();

  function room(name) {
    let found = rooms.get(name);
    if (!found) {
      found = new Room(name, socket, queue);
      rooms.set(name, found);
    }
    return found;
  }

  async function sendEntry(entry) {
    if (entry.event === "room:publish" && typeof entry.payload.room === "string") {
      await room(entry.payload.room).ensureJoinedFor().catch(() => {});
    }
    if (!socket.connected) throw new Error("disconnected");
    return socket.timeout(ackTimeout).emitWithAck(entry.event, entry.payload);
  }

  let connection = 0;
  socket.on("connect", async () => {
    const mine = ++connection;
    if (!socket.recovered) {
      await Promise.all([...rooms.values()].map((r) => r.rejoin().catch((error) => socket.connected && report(error))));
    }
    if (mine !== connection || !socket.connected) return;
    queue.online(sendEntry);
    for (const r of rooms.values()) r.refreshPresence().catch((error) => socket.connected && report(error));
  });
  socket.on("disconnect", () => {
    connection++;
    queue.offline();
  });
  socket.on("presence:join", (event) => rooms.get(event?.room)?.presenceJoined(event.member));
  socket.on("presence:leave", (event) => rooms.get(event?.room)?.presenceLeft(event.member));
  // The batched form this client asks for in its handshake (`presenceDiff: true`): one event per
  // room and window instead of one per change.
  socket.on("presence:diff", (event) => {
    const room = rooms.get(event?.room);
    if (!room) return;
    for (const member of event.joined ?? []) room.presenceJoined(member);
    for (const member of event.left ?? []) room.presenceLeft(member);
  });
  socket.on("auth:expiring", async () => {
    if (!getToken) return;
    try {
      const answer = await socket.emitWithAck("auth:refresh", { token: await freshToken() });
      if (!answer?.ok) report(new Error(`auth:refresh refused: ${answer?.error?.code}`));
    } catch (error) {
      report(error);
    }
  });

  /** This user's id as the server knows it: the token's `sub`, else `auth.user.id`. */
  function userId() {
    return subjectOf(current) ?? (typeof baseAuth?.user?.id === "string" ? baseAuth.user.id : undefined);
  }

  return Object.defineProperties(socket, {
    userId: { get: userId, configurable: true },
    send: { value: (event, payload) => queue.send(event, payload), configurable: true, writable: true },
    room: { value: room, configurable: true },
    queue: { value: queue, configurable: true },
    pending: { get: () => queue.pending, configurable: true },
  });
}

/** The `sub` claim of a JWT, read without verifying it (the server does that). */
function subjectOf(token) {
  if (typeof token !== "string") return undefined;
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const sub = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "="))).sub;
    return typeof sub === "string" ? sub : undefined;
  } catch {
    return undefined;
  }
}
