import { SwitchboardError, refusal } from "./errors.js";

const MINUTE = 60_000;
const EVENTS = ["peer", "track", "state", "leave", "iceservers", "error"];

/**
 * Joins the call room `room` (a `socket.room("call:...")`) and keeps one RTCPeerConnection with
 * every other member: a mesh, up to the server's `--call-mesh-limit`. Each pair negotiates with
 * the "perfect negotiation" pattern (the smaller user id is polite), so offers that cross never
 * deadlock; candidates trickle through the server's relay; ICE restarts when a connection fails,
 * stays disconnected, or does not come up in time; TURN credentials come from the server and are renewed before they
 * expire, and given to a connection before it gathers candidates again. Resolves once joined; rejects with the join's refusal, for a full call with
 * `CALL_FULL` carrying `limit` and, when the server hands them out, `sfuToken` for the SFU.
 */
export async function call(room, options = {}) {
  const socket = room?.socket;
  if (!socket || typeof room.join !== "function") throw new TypeError("call() takes a room of a connected socket: call(socket.room(\"call:42\"))");
  const {
    media,
    userId = socket.userId,
    iceServers: fixedIceServers,
    configuration = {},
    sfuToken: askSfuToken = true,
    disconnectedTimeout = 5000,
    connectTimeout = 10_000,
    RTCPeerConnection: PeerConnection = globalThis.RTCPeerConnection,
  } = options;
  if (typeof userId !== "string" || userId.length === 0) {
    throw new TypeError("call() needs this user's id: give userId, or connect with a token (its sub) or auth.user.id");
  }
  if (typeof PeerConnection !== "function") throw new TypeError("no RTCPeerConnection here");

  const listeners = Object.fromEntries(EVENTS.map((type) => [type, new Set()]));
  for (const type of EVENTS) {
    const handler = options[`on${type === "iceservers" ? "IceServers" : type[0].toUpperCase() + type.slice(1)}`];
    if (typeof handler === "function") listeners[type].add(handler);
  }
  const emit = (type, ...args) => {
    for (const listener of [...listeners[type]]) listener(...args);
  };
  const report = (error) => (listeners.error.size > 0 ? emit("error", error) : console.warn("switchboard:", error));

  // Signals may come as soon as the others see us in the room, before our media is ready: they
  // wait for it, in the order they came.
  let ready;
  const gate = new Promise((resolve, reject) => { ready = { resolve, reject }; });
  gate.catch(() => {});
  const deferred = {};
  for (const event of ["webrtc:offer", "webrtc:answer", "webrtc:ice-candidate"]) {
    deferred[event] = (payload) => gate.then(() => ended || handlers[event](payload ?? {}));
    socket.on(event, deferred[event]);
  }
  const unlisten = () => {
    for (const [event, handler] of Object.entries(deferred)) socket.off(event, handler);
  };

  try {
    await room.join();
  } catch (error) {
    unlisten();
    if (error?.code === "CALL_FULL" && error.sfu && askSfuToken) {
      const answer = await socket.timeout(10_000).emitWithAck("sfu:token", { room: room.name }).catch(() => null);
      if (answer?.ok) error.sfuToken = { token: answer.token, expiresAt: answer.expiresAt };
    }
    throw error;
  }

  const peers = new Map();
  const arrivals = new Map(); // members whose first offer we wait for: id -> the timer after which we offer ourselves
  let ended = false;
  let refreshTimer = null;
  let iceServers = fixedIceServers ?? [];
  let iceExpiresAt = Infinity;
  let serversVersion = 0;
  let ownsMedia = false;
  let localStream = null;

  async function fetchIceServers() {
    const answer = await socket.timeout(10_000).emitWithAck("turn:credentials", {});
    if (answer?.ok) return answer;
    if (answer?.error?.code === "TURN_NOT_CONFIGURED") return { iceServers: [] };
    throw refusal(answer);
  }

  /** Renews the TURN credentials a while before they expire (a fifth of their life, at most a minute). */
  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    if (ended || !Number.isFinite(iceExpiresAt)) return;
    const remaining = iceExpiresAt - Date.now();
    refreshTimer = setTimeout(refreshIceServers, Math.max(500, remaining - Math.min(MINUTE, remaining / 5)));
  }

  async function refreshIceServers() {
    try {
      const answer = await fetchIceServers();
      if (ended) return;
      iceServers = answer.iceServers;
      iceExpiresAt = answer.expiresAt ?? Infinity;
      serversVersion++;
      for (const peer of peers.values()) if (peer.pc.connectionState === "connected") freshen(peer);
      emit("iceservers", iceServers);
      scheduleRefresh();
    } catch (error) {
      if (ended) return;
      report(error);
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(refreshIceServers, 5000);
    }
  }

  function signal(event, payload) {
    socket.timeout(10_000).emitWithAck(event, payload).then(
      (answer) => answer?.ok || ended || report(refusal(answer)),
      () => {},
    );
  }

  function peer(id) {
    let found = peers.get(id);
    if (found || ended) return found;
    clearTimeout(arrivals.get(id));
    arrivals.delete(id);
    const pc = new PeerConnection({ ...configuration, iceServers });
    found = {
      id, pc, polite: userId < id, stream: null,
      makingOffer: false, ignoreOffer: false, settingAnswer: false, ignoredOffers: 0,
      chain: Promise.resolve(), disconnectedTimer: null, connectTimer: null, serversVersion, restarts: 0,
    };
    const p = found;
    peers.set(id, p);
    for (const track of localStream.getTracks()) pc.addTrack(track, localStream);
    pc.onnegotiationneeded = async () => {
      try {
        p.makingOffer = true;
        await pc.setLocalDescription();
        signal("webrtc:offer", { to: id, sdp: pc.localDescription });
      } catch (error) {
        if (!ended) report(error);
      } finally {
        p.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) signal("webrtc:ice-candidate", { to: id, candidate });
    };
    pc.ontrack = ({ track, streams }) => {
      p.stream = streams[0] ?? p.stream ?? new MediaStream();
      if (!p.stream.getTracks().includes(track)) p.stream.addTrack(track);
      emit("track", view(p));
    };
    pc.onconnectionstatechange = () => {
      clearTimeout(p.disconnectedTimer);
      if (pc.connectionState === "connected") {
        clearTimeout(p.connectTimer);
        freshen(p);
      }
      if (pc.connectionState === "failed") restart(p);
      if (pc.connectionState === "disconnected") p.disconnectedTimer = setTimeout(() => restart(p), disconnectedTimeout);
      emit("state", view(p));
    };
    watchConnecting(p);
    emit("peer", view(p));
    return p;
  }

  /**
   * Gives a connection the newest ICE servers for its next gathering (an ICE restart, ours or the
   * other side's), only while no negotiation is under way: Chromium, given a new configuration
   * between an offer and its answer, may gather no candidate at all for the answer (seen in about
   * one call in seven when both sides offered at once). Relays already allocated keep working.
   */
  function freshen(p) {
    const { pc } = p;
    if (p.serversVersion === serversVersion || p.makingOffer || pc.signalingState !== "stable" || pc.iceGatheringState === "gathering") return;
    p.pc.setConfiguration({ ...configuration, iceServers });
    p.serversVersion = serversVersion;
  }

  /** An ICE restart with fresh credentials: negotiationneeded sends its offer. */
  async function restart(p) {
    if (ended || peers.get(p.id) !== p) return;
    if (Date.now() >= iceExpiresAt) await refreshIceServers();
    freshen(p);
    p.restarts++;
    p.pc.restartIce();
    watchConnecting(p);
  }

  /**
   * A connection not up within connectTimeout (candidates lost, a relay that never answered)
   * restarts ICE, from the impolite side only: restarts from both would cross again.
   */
  function watchConnecting(p) {
    clearTimeout(p.connectTimer);
    if (p.polite) return;
    p.connectTimer = setTimeout(() => {
      if (p.pc.connectionState !== "connected") restart(p);
    }, connectTimeout);
  }

  function enqueue(p, work) {
    p.chain = p.chain.then(work).catch((error) => {
      if (!ended && peers.get(p.id) === p) report(error);
    });
  }

  async function onDescription(p, description) {
    const { pc } = p;
    if (description.type === "answer" && pc.signalingState !== "have-local-offer") return; // a stale answer
    const readyForOffer = !p.makingOffer && (pc.signalingState === "stable" || p.settingAnswer);
    const collision = description.type === "offer" && !readyForOffer;
    p.ignoreOffer = !p.polite && collision;
    if (p.ignoreOffer) {
      p.ignoredOffers++;
      return;
    }
    p.settingAnswer = description.type === "answer";
    try {
      await pc.setRemoteDescription(description); // a polite peer's own offer is rolled back implicitly
    } finally {
      p.settingAnswer = false;
    }
    if (description.type === "offer") {
      await pc.setLocalDescription();
      signal("webrtc:answer", { to: p.id, sdp: pc.localDescription });
    }
  }

  async function onCandidate(p, candidate) {
    try {
      await p.pc.addIceCandidate(candidate);
    } catch (error) {
      if (!p.ignoreOffer) throw error; // candidates of an offer the impolite peer ignored fail, as they should
    }
  }

  const handlers = {
    "webrtc:offer": ({ from, sdp }) => {
      const p = from !== userId && peer(from);
      if (p) enqueue(p, () => onDescription(p, sdp));
    },
    "webrtc:answer": ({ from, sdp }) => {
      const p = peers.get(from);
      if (p) enqueue(p, () => onDescription(p, sdp));
    },
    "webrtc:ice-candidate": ({ from, candidate }) => {
      const p = peers.get(from);
      if (p && candidate) enqueue(p, () => onCandidate(p, candidate));
    },
  };

  function drop(id) {
    const p = peers.get(id);
    if (!p) return;
    peers.delete(id);
    clearTimeout(p.disconnectedTimer);
    clearTimeout(p.connectTimer);
    p.pc.close();
    emit("leave", id);
  }

  function hangUp() {
    if (ended) return Promise.resolve();
    ended = true;
    clearTimeout(refreshTimer);
    stopPresence();
    stopArrivals();
    unlisten();
    for (const id of [...peers.keys()]) drop(id);
    if (ownsMedia) localStream?.getTracks().forEach((track) => track.stop());
    return room.leave().catch(() => {});
  }

  let stopPresence = () => {};
  let stopArrivals = () => {};
  try {
    if (fixedIceServers === undefined) {
      const answer = await fetchIceServers();
      iceServers = answer.iceServers;
      iceExpiresAt = answer.expiresAt ?? Infinity;
    }
    if (typeof media === "function") {
      localStream = await media();
    } else if (media) {
      localStream = media;
    } else {
      localStream = await globalThis.navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      ownsMedia = true;
    }
  } catch (error) {
    ended = true;
    unlisten();
    await room.leave().catch(() => {});
    throw error;
  }
  scheduleRefresh();
  ready.resolve();
  // Of each pair, the impolite side (the larger id) makes the first offer; the polite side waits
  // for it (and offers itself if none came within connectTimeout). Both offering at once works
  // too (perfect negotiation), but a polite side that rolls back its first offer while it still
  // gathers candidates sometimes gathers none for its answer in Chromium (about one call in ten
  // when two members met at once), so first offers never cross. Later ones may.
  stopPresence = room.onPresence((members) => {
    if (ended) return;
    const present = new Set(members.map((member) => member.id));
    for (const id of present) {
      if (id === userId || peers.has(id) || arrivals.has(id)) continue;
      if (userId > id) peer(id);
      else arrivals.set(id, setTimeout(() => { arrivals.delete(id); peer(id); }, connectTimeout));
    }
    for (const id of [...peers.keys()]) if (!present.has(id)) drop(id);
    for (const [id, timer] of arrivals) {
      if (!present.has(id)) {
        clearTimeout(timer);
        arrivals.delete(id);
      }
    }
  });
  stopArrivals = () => {
    for (const timer of arrivals.values()) clearTimeout(timer);
    arrivals.clear();
  };

  return {
    room: room.name,
    userId,
    get localStream() {
      return localStream;
    },
    /** The other members' connections now: `{id, polite, stream, connectionState, pc}`. */
    get peers() {
      return [...peers.values()].map(view);
    },
    get iceServers() {
      return iceServers;
    },
    get ended() {
      return ended;
    },
    /** Subscribes to "peer", "track", "state" (each with a peer view), "leave" (id), "iceservers", "error"; returns the unsubscribe function. */
    on(type, listener) {
      const set = listeners[type];
      if (!set) throw new TypeError(`unknown call event ${type}`);
      set.add(listener);
      return () => set.delete(listener);
    },
    /** Restarts ICE with one member, or with all. */
    restartIce(id) {
      for (const p of peers.values()) if (id === undefined || p.id === id) restart(p);
    },
    /** Closes every connection, stops the media it opened itself and leaves the room. */
    hangUp,
  };
}

function view(p) {
  return {
    id: p.id, polite: p.polite, stream: p.stream, connectionState: p.pc.connectionState,
    ignoredOffers: p.ignoredOffers, restarts: p.restarts, pc: p.pc,
  };
}

export { SwitchboardError };
