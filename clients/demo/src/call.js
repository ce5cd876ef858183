// The Call tab: a video call between the tabs in one call room (call:<id>), a mesh of up to the
// server's --call-mesh-limit users, one RTCPeerConnection per other user. Signaling goes through
// Switchboard's relay (webrtc:offer / webrtc:answer / webrtc:ice-candidate); each pair negotiates
// with the "perfect negotiation" pattern, the user with the smaller id being polite. ICE servers
// come from /api/v1/turn-credentials when the server hands out TURN credentials.
import { $ } from "./dom.js";

export function callTab({ socket, userId, token }) {
  const peers = new Map();
  let room = null;
  let localStream = null;
  let iceServers = [];
  let statsTimer = null;

  const note = (text) => { $("call-log").textContent = text; };
  function setCallState(text, cls) {
    $("call-state").textContent = text;
    $("call-state").className = "pill " + (cls || "");
  }

  function tile(id, label, muted) {
    const div = document.createElement("div");
    div.className = "tile";
    div.id = "tile-" + id;
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.muted = muted;
    const caption = document.createElement("div");
    caption.className = "label";
    caption.innerHTML = '<span class="who"></span><span class="state"></span><span class="path"></span>';
    caption.querySelector(".who").textContent = label;
    div.append(video, caption);
    $("videos").appendChild(div);
    return div;
  }

  async function fetchIceServers() {
    const jwt = token();
    const query = jwt ? "" : "?user=" + encodeURIComponent(userId());
    const response = await fetch("/api/v1/turn-credentials" + query,
      { headers: jwt ? { Authorization: "Bearer " + jwt } : {} });
    if (response.status === 404) return [];   // no TURN configured: host and server-reflexive paths only
    if (!response.ok) throw new Error("TURN credentials refused: " + response.status);
    return response.json();
  }

  async function openMedia(videoId, audioId) {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: videoId ? { deviceId: { exact: videoId } } : true,
      audio: audioId ? { deviceId: { exact: audioId } } : true,
    });
    await listDevices(stream);
    return stream;
  }

  async function listDevices(stream) {
    const devices = await navigator.mediaDevices.enumerateDevices();
    for (const [select, kind] of [[$("camera"), "videoinput"], [$("microphone"), "audioinput"]]) {
      const current = stream.getTracks().find((t) => t.kind === kind.replace("input", ""));
      const inUse = current && current.getSettings().deviceId;
      select.replaceChildren(...devices.filter((d) => d.kind === kind).map((d, i) => {
        const option = new Option(d.label || kind + " " + (i + 1), d.deviceId);
        option.selected = d.deviceId === inUse;
        return option;
      }));
    }
  }

  /** The connection to one other user of the call, negotiated with perfect negotiation. */
  function peer(id) {
    if (peers.has(id)) return peers.get(id);
    const pc = new RTCPeerConnection({ iceServers });
    const view = tile(id, id, false);
    const state = { id, pc, view, polite: userId() < id, makingOffer: false, ignoreOffer: false };
    peers.set(id, state);
    if ($("call-log").textContent.startsWith("waiting for someone")) note("");
    for (const track of localStream.getTracks()) pc.addTrack(track, localStream);
    pc.onnegotiationneeded = async () => {
      try {
        state.makingOffer = true;
        await pc.setLocalDescription();
        socket.emit("webrtc:offer", { to: id, sdp: pc.localDescription });
      } catch (e) {
        note("negotiation with " + id + " failed: " + e.message);
      } finally {
        state.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate) socket.emit("webrtc:ice-candidate", { to: id, candidate });
    };
    pc.ontrack = ({ streams }) => {
      const video = view.querySelector("video");
      if (video.srcObject !== streams[0]) video.srcObject = streams[0];
    };
    pc.onconnectionstatechange = () => {
      view.querySelector(".state").textContent = pc.connectionState;
      if (pc.connectionState === "failed") pc.restartIce();   // negotiationneeded sends the restart offer
    };
    view.querySelector(".state").textContent = pc.connectionState;
    return state;
  }

  function drop(id) {
    const state = peers.get(id);
    if (!state) return;
    state.pc.close();
    state.view.remove();
    peers.delete(id);
  }

  // Signals from the other users of the call.
  socket.on("webrtc:offer", async ({ from, sdp }) => {
    if (!room) return;
    const state = peer(from);
    const { pc } = state;
    const collision = state.makingOffer || pc.signalingState !== "stable";
    state.ignoreOffer = !state.polite && collision;
    if (state.ignoreOffer) return;
    try {
      await pc.setRemoteDescription(sdp);
      await pc.setLocalDescription();
      socket.emit("webrtc:answer", { to: from, sdp: pc.localDescription });
    } catch (e) {
      note("offer from " + from + " failed: " + e.message);
    }
  });
  socket.on("webrtc:answer", async ({ from, sdp }) => {
    const state = peers.get(from);
    if (!state || state.pc.signalingState !== "have-local-offer") return;
    try {
      await state.pc.setRemoteDescription(sdp);
    } catch (e) {
      note("answer from " + from + " failed: " + e.message);
    }
  });
  socket.on("webrtc:ice-candidate", async ({ from, candidate }) => {
    const state = peers.get(from);
    if (!state || !candidate) return;
    try {
      await state.pc.addIceCandidate(candidate);
    } catch (e) {
      if (!state.ignoreOffer) note("candidate from " + from + " failed: " + e.message);
    }
  });
  socket.on("presence:join", ({ room: joined, member }) => {
    if (room && joined === room && member.id !== userId()) peer(member.id);
  });
  socket.on("presence:leave", ({ room: left, member }) => {
    if (room && left === room) drop(member.id);
  });

  /** Whether each connection's selected candidate pair goes through a TURN relay or straight. */
  async function showPaths() {
    for (const { pc, view } of peers.values()) {
      const stats = await pc.getStats();
      let path = "";
      stats.forEach((report) => {
        if (report.type !== "transport" || !report.selectedCandidatePairId) return;
        const pair = stats.get(report.selectedCandidatePairId);
        const types = [stats.get(pair.localCandidateId), stats.get(pair.remoteCandidateId)].map((c) => c && c.candidateType);
        path = types.includes("relay") ? "relayed" : "direct";
      });
      view.querySelector(".path").textContent = path;
    }
  }

  async function join(id) {
    setCallState("joining", "");
    $("join-call").disabled = true;
    try {
      iceServers = await fetchIceServers();
      localStream = await openMedia();
    } catch (e) {
      setCallState("not in a call", "disconnected");
      $("join-call").disabled = false;
      note(e.message);
      return;
    }
    room = "call:" + id;
    const mine = tile("local", "you (" + userId() + ")", true);
    mine.querySelector("video").srcObject = localStream;
    const answer = await socket.emitWithAck("room:join", { room });
    if (!answer.ok) {
      const full = answer.error.code === "CALL_FULL";
      note(full ? "this call is full (" + answer.error.limit + " people): a bigger call needs an SFU" : answer.error.message);
      hangUp();
      return;
    }
    const { members } = await socket.emitWithAck("presence:list", { room });
    for (const member of members) {
      if (member.id !== userId()) peer(member.id);
    }
    setCallState("in " + room, "connected");
    note(peers.size === 0 ? "waiting for someone to join " + id : "");
    for (const button of ["hang-up", "mute", "camera-off"]) $(button).disabled = false;
    statsTimer = setInterval(showPaths, 1000);
  }

  function hangUp() {
    for (const id of [...peers.keys()]) drop(id);
    if (room && socket.connected) socket.emit("room:leave", { room });
    room = null;
    clearInterval(statsTimer);
    if (localStream) localStream.getTracks().forEach((t) => t.stop());
    localStream = null;
    $("videos").replaceChildren();
    setCallState("not in a call", "");
    $("join-call").disabled = false;
    for (const button of ["hang-up", "mute", "camera-off"]) $(button).disabled = true;
    $("mute").textContent = "Mute";
    $("camera-off").textContent = "Camera off";
  }

  /** Switches to the chosen camera or microphone: the new track replaces the old one on every connection. */
  async function switchDevice() {
    if (!localStream) return;
    const stream = await openMedia($("camera").value, $("microphone").value);
    for (const track of stream.getTracks()) {
      const old = localStream.getTracks().find((t) => t.kind === track.kind);
      track.enabled = old ? old.enabled : true;
      for (const { pc } of peers.values()) {
        const sender = pc.getSenders().find((s) => s.track && s.track.kind === track.kind);
        if (sender) await sender.replaceTrack(track);
      }
      if (old) {
        localStream.removeTrack(old);
        old.stop();
      }
      localStream.addTrack(track);
    }
    $("tile-local").querySelector("video").srcObject = localStream;
  }

  function toggle(kind, button, on, off) {
    for (const track of localStream.getTracks().filter((t) => t.kind === kind)) track.enabled = !track.enabled;
    const enabled = localStream.getTracks().some((t) => t.kind === kind && t.enabled);
    $(button).textContent = enabled ? on : off;
  }

  $("call-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!room) join($("call-id").value.trim() || "demo");
  });
  $("hang-up").addEventListener("click", hangUp);
  $("mute").addEventListener("click", () => toggle("audio", "mute", "Mute", "Unmute"));
  $("camera-off").addEventListener("click", () => toggle("video", "camera-off", "Camera off", "Camera on"));
  $("camera").addEventListener("change", switchDevice);
  $("microphone").addEventListener("change", switchDevice);
  socket.on("disconnect", () => { if (room) { hangUp(); note("disconnected from the server: call ended"); } });
}
