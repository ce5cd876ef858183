import { connect, type Member } from "@switchboard/client";

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
