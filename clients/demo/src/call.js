// The Call tab: a video call between the tabs in one call room (call:<id>), a mesh of up to the
// server's --call-mesh-limit users, made by @switchboard/client's call(): perfect negotiation
// (the impolite side of each pair makes its first offer), TURN credentials from the server renewed
// before they expire, ICE restarts, CALL_FULL with an SFU token. This tab shows it: one tile per
// user with its video, connection state and path (direct or through a TURN relay).
import { call } from "@switchboard/client";
import { $ } from "./dom.js";

const CALL_BUTTONS = ["hang-up", "mute", "camera-off"];

export function callTab({ socket, userId }) {
  const tiles = new Map(); // the other users' tiles, by user id
  let meeting = null;
  let joining = null; // the join under way, if any: a hang-up or a disconnection meanwhile cancels it
  let localStream = null;
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

  /** The tile of another user, made when the call first tells of them. */
  function show(peer) {
    let view = tiles.get(peer.id);
    if (!view) {
      view = tile(peer.id, peer.id, false);
      tiles.set(peer.id, view);
      if ($("call-log").textContent.startsWith("waiting for someone")) note("");
    }
    view.querySelector(".state").textContent = peer.connectionState;
    const video = view.querySelector("video");
    if (peer.stream && video.srcObject !== peer.stream) video.srcObject = peer.stream;
  }

  function remove(id) {
    tiles.get(id)?.remove();
    tiles.delete(id);
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

  /** Whether each connection's selected candidate pair goes through a TURN relay or straight. */
  async function showPaths() {
    for (const { id, pc } of meeting ? meeting.peers : []) {
      const stats = await pc.getStats();
      let path = "";
      stats.forEach((report) => {
        if (report.type !== "transport" || !report.selectedCandidatePairId) return;
        const pair = stats.get(report.selectedCandidatePairId);
        const types = [stats.get(pair.localCandidateId), stats.get(pair.remoteCandidateId)].map((c) => c && c.candidateType);
        path = types.includes("relay") ? "relayed" : "direct";
      });
      const view = tiles.get(id);
      if (view) view.querySelector(".path").textContent = path;
    }
  }

  async function join(id) {
    const attempt = {};
    joining = attempt;
    const cancelled = () => joining !== attempt;
    setCallState("joining", "");
    note("");
    $("join-call").disabled = true;
    const room = socket.room("call:" + id);
    let started;
    try {
      // The camera opens once the room let us in (a full call opens none); the call uses this
      // stream as it is, so a device switched later reaches every connection, new ones too.
      started = await call(room, {
        userId: userId(),
        media: async () => {
          const stream = await openMedia();
          if (cancelled()) {
            stream.getTracks().forEach((t) => t.stop());
            throw new Error("the join was cancelled");
          }
          localStream = stream;
          tile("local", "you (" + userId() + ")", true).querySelector("video").srcObject = stream;
          return stream;
        },
        onPeer: show,
        onTrack: show,
        onState: show,
        onLeave: remove,
        onError: (error) => note(error.message),
      });
    } catch (error) {
      if (cancelled()) return;
      hangUp();
      note(error.code === "CALL_FULL"
        ? "this call is full (" + error.limit + " people): a bigger call needs an SFU"
          + (error.sfuToken ? " (the server issued a LiveKit token for this room)" : "")
        : error.message);
      return;
    }
    if (cancelled()) {
      started.hangUp();
      return;
    }
    joining = null;
    meeting = started;
    setCallState("in " + meeting.room, "connected");
    const others = room.members.some((member) => member.id !== meeting.userId);
    note(others ? "" : "waiting for someone to join " + id);
    for (const button of CALL_BUTTONS) $(button).disabled = false;
    statsTimer = setInterval(showPaths, 1000);
  }

  function hangUp() {
    joining = null;
    if (meeting) meeting.hangUp();
    meeting = null;
    clearInterval(statsTimer);
    if (localStream) localStream.getTracks().forEach((t) => t.stop());
    localStream = null;
    tiles.clear();
    $("videos").replaceChildren();
    setCallState("not in a call", "");
    $("join-call").disabled = false;
    for (const button of CALL_BUTTONS) $(button).disabled = true;
    $("mute").textContent = "Mute";
    $("camera-off").textContent = "Camera off";
  }

  /** Switches to the chosen camera or microphone: the new track replaces the old one on every connection. */
  async function switchDevice() {
    if (!meeting) return;
    const stream = await openMedia($("camera").value, $("microphone").value);
    for (const track of stream.getTracks()) {
      const old = localStream.getTracks().find((t) => t.kind === track.kind);
      track.enabled = old ? old.enabled : true;
      for (const { pc } of meeting.peers) {
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
    if (!meeting && !joining) join($("call-id").value.trim() || "demo");
  });
  $("hang-up").addEventListener("click", hangUp);
  $("mute").addEventListener("click", () => toggle("audio", "mute", "Mute", "Unmute"));
  $("camera-off").addEventListener("click", () => toggle("video", "camera-off", "Camera off", "Camera on"));
  $("camera").addEventListener("change", switchDevice);
  $("microphone").addEventListener("change", switchDevice);
  socket.on("disconnect", () => {
    if (!meeting && !joining) return;
    hangUp();
    note("disconnected from the server: call ended");
  });
}
