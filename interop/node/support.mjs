// Shared helpers of the Node interop scripts. The server they talk to is described by
// InteropContract (switchboard-core tests); its URL comes from SWITCHBOARD_URL.
import { io, Manager } from "socket.io-client";

export const URL = process.env.SWITCHBOARD_URL;
if (!URL) {
  throw new Error("set SWITCHBOARD_URL to the server's base URL, e.g. http://127.0.0.1:3000");
}
export const MAX_HTTP_BUFFER_SIZE = Number(process.env.SWITCHBOARD_MAX_HTTP_BUFFER_SIZE ?? 100000);

/** The packet format the server speaks (SWITCHBOARD_PARSER: "json", the default, or "msgpack"); every client uses it. */
export const PARSER = process.env.SWITCHBOARD_PARSER ?? "json";
const parserOption = PARSER === "msgpack" ? { parser: (await import("socket.io-msgpack-parser")).default } : {};

/** How long any single wait may take before the test fails with a message saying what was awaited. */
export const WAIT_MS = 5000;

const opened = new Set();

/** A new client of namespace `nsp` with its own connection; closed by `closeAll()`. */
export function client(nsp = "/", options = {}) {
  const socket = io(URL + nsp, { forceNew: true, reconnection: false, timeout: WAIT_MS, ...parserOption, ...options });
  opened.add(socket);
  return socket;
}

/** A Manager (one connection for several namespaces); closed by `closeAll()`. */
export function manager(options = {}) {
  const m = new Manager(URL, { reconnection: false, timeout: WAIT_MS, ...parserOption, ...options });
  opened.add(m);
  return m;
}

/** Disconnects every client and manager opened so far. */
export function closeAll() {
  for (const s of opened) {
    if (s instanceof Manager) {
      s._close();
    } else {
      s.disconnect();
    }
  }
  opened.clear();
}

/** Resolves with the arguments of the next `event` of `emitter`; rejects after `ms`. */
export function next(emitter, event, ms = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${ms} ms waiting for "${event}"`));
    }, ms);
    const listener = (...args) => {
      clearTimeout(timer);
      resolve(args);
    };
    emitter.once(event, listener);
  });
}

/** Resolves once `socket` is connected; rejects with the connect_error. */
export function connected(socket, ms = WAIT_MS) {
  if (socket.connected) {
    return Promise.resolve(socket);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${ms} ms waiting for ${socket.nsp} to connect`));
    }, ms);
    const onConnect = () => {
      cleanup();
      resolve(socket);
    };
    const onError = (err) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
    };
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
}

/** Resolves with the connect_error the socket gets; fails if it connects instead. */
export function refused(socket, ms = WAIT_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for connect_error`)), ms);
    socket.once("connect", () => {
      clearTimeout(timer);
      reject(new Error(`${socket.nsp} connected although it should have been refused`));
    });
    socket.once("connect_error", (err) => {
      clearTimeout(timer);
      resolve(err);
    });
  });
}

/** Emits with an acknowledgement and resolves with every argument of the ack. */
export function request(socket, event, ...args) {
  return new Promise((resolve, reject) => {
    socket.timeout(WAIT_MS).emit(event, ...args, (err, ...answer) => {
      if (err) {
        reject(new Error(`no acknowledgement for "${event}" within ${WAIT_MS} ms`));
      } else {
        resolve(answer);
      }
    });
  });
}

/** Emits with an acknowledgement and resolves with the ack's first argument. */
export async function ask(socket, event, ...args) {
  const [first] = await request(socket, event, ...args);
  return first;
}

/** A room name no other test uses. */
export function uniqueRoom(prefix = "room") {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Collects the payloads of `event` on `socket`. */
export function record(socket, event) {
  const seen = [];
  socket.on(event, (...args) => seen.push(args.length === 1 ? args[0] : args));
  return seen;
}

/** Binary values arrive as Buffer or ArrayBuffer depending on the transport; compare as Buffer. */
export function asBuffer(value) {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new Error(`expected binary data, got ${typeof value}: ${JSON.stringify(value)}`);
}

/** An observer in the main namespace, told of every disconnection as "left" {id, nsp, name, reason}. */
export async function observer() {
  const socket = await connected(client("/", { auth: { name: "observer" } }));
  await ask(socket, "join", "observers");
  return {
    socket,
    /** Resolves with the "left" notice for socket id `id`. */
    left(id, ms = WAIT_MS) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.off("left", listener);
          reject(new Error(`timed out after ${ms} ms waiting for the server to report ${id} leaving`));
        }, ms);
        const listener = (notice) => {
          if (notice.id === id) {
            clearTimeout(timer);
            socket.off("left", listener);
            resolve(notice);
          }
        };
        socket.on("left", listener);
      });
    },
  };
}

export const TRANSPORTS = [
  { name: "websocket", options: { transports: ["websocket"] } },
  { name: "polling", options: { transports: ["polling"] } },
];
