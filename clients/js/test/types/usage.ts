import { call, connect, stream, type CallFullError, type Member } from "@switchboard/client";
import { useCall, usePresence, useRoom, useSSE, useSocket } from "@switchboard/client/react";

const socket = connect("http://localhost:3000", { getToken: async () => "jwt", transports: ["websocket"], queue: { maxSize: 50, overflow: "drop-oldest" } });
const lobby = socket.room("lobby");
await lobby.join();
lobby.on<{ text: string }>("chat", (data, meta) => console.log(meta.room, data.text));
const answer = await lobby.publish("chat", { text: "hi" });
const duplicate: boolean | undefined = answer.duplicate;
lobby.onPresence((members: Member[]) => members.map((m) => m.id));
const pending: number = socket.pending;
socket.queue.on("dropped", (entry, error) => console.warn(entry.id, error.code));
const page = await lobby.history({ since: "a:1" });
console.log(duplicate, pending, page.gap, socket.id);
// @ts-expect-error send takes an object payload
socket.send("chat", "text");
const feed = stream(["lobby", "news"], { url: "http://localhost:3000", events: ["chat"], getToken: async () => "jwt",
  onEvent: (event, data, meta) => console.log(event, data, meta.id), onGap: (gap) => console.log(gap.room, gap.head) });
feed.on<{ text: string }>("notification", (event, data) => console.log(data.text));
const resumeFrom: string = feed.lastEventId;
feed.close();
// @ts-expect-error rooms are strings
stream([1]);
console.log(resumeFrom);
try {
  const meeting = await call(socket.room("call:42"), { onTrack: (peer) => console.log(peer.id, peer.stream?.getTracks()) });
  meeting.on("leave", (id: string) => console.log(id));
  const states: RTCPeerConnectionState[] = meeting.peers.map((p) => p.connectionState);
  await meeting.hangUp();
  console.log(states);
} catch (e) {
  const full = e as CallFullError;
  if (full.code === "CALL_FULL") console.log(full.limit, full.sfuToken?.token);
}
export function Lobby() {
  const { socket, connected, pending } = useSocket("http://localhost:3000", { getToken: async () => "jwt" });
  const { room, joined } = useRoom(socket, "lobby");
  const members: Member[] = usePresence(room);
  const { open } = useSSE<{ title: string }>("alerts", (alert) => console.log(alert.title), { url: "http://localhost:3000" });
  const { peers, error } = useCall(socket, joined ? "call:42" : null);
  return [connected, pending, members.length, open, peers.length, error];
}
