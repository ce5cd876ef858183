// React hooks over the package (React 18 or 19, a peer dependency of this entry point only).
// Each hook opens what it needs in an effect and closes it in the effect's cleanup, so it is
// safe under StrictMode's double effects and server rendering (nothing opens on the server).
import { useEffect, useRef, useState } from "react";
import { connect, stream, call } from "./index.js";

/** The latest value, for callbacks that effects read without re-running. */
function useLatest(value) {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

/**
 * Connects while mounted: `{socket, connected, pending}` (`socket` is null before the first effect
 * and while `url` is empty). A new `url` or `token` connects again; `getToken` is read when needed.
 */
export function useSocket(url, options = {}) {
  const latest = useLatest(options);
  const [socket, setSocket] = useState(null);
  const [connected, setConnected] = useState(false);
  const [pending, setPending] = useState(0);
  useEffect(() => {
    if (!url) return undefined;
    const s = connect(url, latest.current);
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    s.on("connect", up);
    s.on("disconnect", down);
    const stopPending = s.queue.on("pending", setPending);
    setSocket(s);
    setPending(s.pending);
    return () => {
      stopPending();
      s.off("connect", up);
      s.off("disconnect", down);
      s.disconnect();
      setSocket(null);
      setConnected(false);
    };
  }, [url, options.token]);
  return { socket, connected, pending };
}

/**
 * Joins room `name` of `socket` while mounted (and leaves on unmount): `{room, joined, error}`.
 * `room` is there at once, for `publish` (queued until the join) and `on`.
 */
export function useRoom(socket, name) {
  const [state, setState] = useState({ joined: false, error: null });
  const room = socket && name ? socket.room(name) : null;
  useEffect(() => {
    if (!room) return undefined;
    let live = true;
    setState({ joined: false, error: null });
    room.join().then(
      () => live && setState({ joined: true, error: null }),
      (error) => live && setState({ joined: false, error }),
    );
    return () => {
      live = false;
      if (socket.connected) room.leave().catch(() => {});
    };
  }, [room]);
  return { room, ...state };
}

/** The live presence list of `room` (a Room, or null): `[{id, ...info}]`. */
export function usePresence(room) {
  const [members, setMembers] = useState(() => (room ? room.members : []));
  useEffect(() => {
    if (!room) {
      setMembers([]);
      return undefined;
    }
    return room.onPresence(setMembers);
  }, [room]);
  return members;
}

/**
 * The guide's `useSSE`: follows `rooms` over Server-Sent Events while mounted and calls
 * `onMessage(data, event, meta)` for each of `options.events` (`["notification"]`, the guide's).
 * Options are those of `stream()`; answers `{open, gap, error}` (the last gap and failure).
 */
export function useSSE(rooms, onMessage, options = {}) {
  const handler = useLatest(onMessage);
  const latest = useLatest(options);
  const [state, setState] = useState({ open: false, gap: null, error: null });
  const key = [].concat(rooms ?? []).join(",");
  const events = (options.events ?? ["notification"]).join(",");
  useEffect(() => {
    if (!key) return undefined;
    const { onGap, onError, onOpen } = latest.current;
    const s = stream(key.split(","), {
      ...latest.current,
      events: events.split(","),
      onEvent: (event, data, meta) => handler.current?.(data, event, meta),
      onOpen: () => {
        setState((now) => ({ ...now, open: true }));
        onOpen?.();
      },
      onGap: (gap) => {
        setState((now) => ({ ...now, gap }));
        onGap?.(gap);
      },
      onError: (error) => {
        setState((now) => ({ ...now, open: !s.closed && now.open, error }));
        onError?.(error);
      },
    });
    return () => {
      s.close();
      setState({ open: false, gap: null, error: null });
    };
  }, [key, events, options.url]);
  return state;
}

/**
 * Takes part in call room `name` of `socket` while mounted (hangs up on unmount):
 * `{call, peers, error}`. `peers` (`{id, stream, connectionState, ...}`) follows every change;
 * `error` is the refusal, for a full call `CALL_FULL` with its `sfuToken`.
 */
export function useCall(socket, name, options = {}) {
  const latest = useLatest(options);
  const [state, setState] = useState({ call: null, peers: [], error: null });
  useEffect(() => {
    if (!socket || !name) return undefined;
    let live = true;
    let current = null;
    setState({ call: null, peers: [], error: null });
    const refresh = () => live && current && setState({ call: current, peers: current.peers, error: null });
    call(socket.room(name), latest.current).then(
      (started) => {
        current = started;
        if (!live) return started.hangUp();
        for (const type of ["peer", "track", "state", "leave"]) started.on(type, refresh);
        refresh();
      },
      (error) => live && setState({ call: null, peers: [], error }),
    );
    return () => {
      live = false;
      current?.hangUp();
    };
  }, [socket, name]);
  return state;
}
