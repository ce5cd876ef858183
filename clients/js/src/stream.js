import { SwitchboardError } from "./errors.js";

const RESERVED = new Set(["stream:gap", "auth:expired"]);

/**
 * Follows `rooms` over Server-Sent Events (`GET /sse?rooms=...`). The browser's EventSource
 * resumes by itself after a network drop (`Last-Event-ID`); this adds what it cannot do alone:
 * on `auth:expired`, or when the server refuses a reconnection (an expired token), a new stream
 * opens with a fresh token from where the last one stood (`?lastEventId=`). `stream:gap` is
 * reported to `onGap`; a refusal that a new token cannot cure (a forbidden room) ends the stream
 * and goes to `onError`.
 */
export function stream(rooms, options = {}) {
  const list = typeof rooms === "string" ? [rooms] : [...rooms];
  if (list.length === 0 || list.some((room) => typeof room !== "string" || room.length === 0)) {
    throw new TypeError("rooms must be a room name or a non-empty list of them");
  }
  const {
    url = globalThis.location?.origin,
    path = "/sse",
    events = [],
    token,
    getToken,
    lastEventId: initialId = "",
    withCredentials = false,
    onEvent = () => {},
    onGap = () => {},
    onOpen = () => {},
    onError = (error) => console.warn("switchboard:", error),
    retryDelay = 1000,
    maxRetryDelay = 30_000,
    EventSource: Source = globalThis.EventSource,
    fetch: probe = globalThis.fetch,
  } = options;
  if (!url) throw new TypeError("give the server's url (there is no page origin to default to)");
  if (typeof Source !== "function") throw new TypeError("no EventSource here: pass one as the EventSource option");
  if (token !== undefined && getToken !== undefined) throw new TypeError("give token or getToken, not both");

  const listeners = new Map();
  for (const event of events) listeners.set(event, new Set([onEvent]));
  let current = token;
  let source = null;
  let lastEventId = initialId;
  let closed = false;
  let failures = 0;
  let timer = null;
  let generation = 0;

  function address() {
    const target = new URL(path, url);
    target.searchParams.set("rooms", list.join(","));
    if (current !== undefined) target.searchParams.set("token", current);
    if (lastEventId) target.searchParams.set("lastEventId", lastEventId);
    return target.href;
  }

  async function open() {
    const mine = ++generation;
    if (getToken) {
      try {
        current = await getToken();
      } catch (error) {
        onError(error);
        return mine === generation && retry();
      }
    }
    if (closed || mine !== generation) return;
    const es = new Source(address(), { withCredentials });
    source = es;
    const live = () => source === es && !closed;
    es.onopen = () => {
      if (!live()) return;
      failures = 0;
      onOpen();
    };
    es.onerror = () => {
      // CONNECTING: the EventSource reconnects by itself. CLOSED: the server refused the request.
      if (live() && es.readyState === 2) refused(es);
    };
    const track = (e) => {
      if (e.lastEventId) lastEventId = e.lastEventId;
    };
    es.addEventListener("stream:gap", (e) => {
      if (!live()) return;
      track(e);
      onGap(parse(e.data));
    });
    es.addEventListener("auth:expired", () => {
      if (!live()) return;
      es.close();
      open();
    });
    for (const event of listeners.keys()) subscribe(es, event);
  }

  function subscribe(es, event) {
    es.addEventListener(event, (e) => {
      if (source !== es || closed) return;
      if (e.lastEventId) lastEventId = e.lastEventId;
      const data = parse(e.data);
      for (const listener of [...(listeners.get(event) ?? [])]) listener(event, data, { id: e.lastEventId });
    });
  }

  /** Learns why the server refused (an EventSource cannot see the status) and decides whether to try again. */
  async function refused(es) {
    es.close();
    let status = 0;
    let body = null;
    if (typeof probe === "function") {
      const abort = new AbortController();
      try {
        const response = await probe(address(), {
          headers: { Accept: "text/event-stream" },
          credentials: withCredentials ? "include" : "same-origin",
          signal: abort.signal,
        });
        status = response.status;
        body = status === 200 ? null : await response.json().catch(() => null);
      } catch {
        status = 0;
      } finally {
        abort.abort();
      }
    }
    if (closed || source !== es) return;
    if (status === 401 && getToken) return retry();
    if (status >= 400 && status < 500) {
      close();
      onError(new SwitchboardError(body?.code ?? `HTTP_${status}`, body?.message));
      return;
    }
    retry();
  }

  function retry() {
    if (closed) return;
    const delay = Math.min(maxRetryDelay, retryDelay * 2 ** failures++);
    timer = setTimeout(() => {
      timer = null;
      open();
    }, delay);
  }

  function close() {
    closed = true;
    generation++;
    clearTimeout(timer);
    source?.close();
  }

  open();
  return {
    /** Where the stream stands: the last event id seen (`room@epoch:offset,...`). */
    get lastEventId() {
      return lastEventId;
    },
    /** Whether close() was called, or a refusal ended the stream. */
    get closed() {
      return closed;
    },
    /** Listens to `event` as well (`handler(event, data, {id})`); returns the unsubscribe function. */
    on(event, handler) {
      if (RESERVED.has(event)) throw new TypeError(`${event} is handled by the stream itself: use onGap`);
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        if (source && !closed) subscribe(source, event);
      }
      set.add(handler);
      return () => set.delete(handler);
    },
    close,
  };
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
