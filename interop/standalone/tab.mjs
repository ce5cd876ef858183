// A browser tab stand-in run as its own process, so a test can freeze or kill it:
// connects as the user given in argv, joins the room, then tells its parent "ready".
import { io } from "socket.io-client";

const [url, room, userId, name] = process.argv.slice(2);
const socket = io(url, { transports: ["websocket"], reconnection: false, auth: { user: { id: userId, name } } });
socket.on("connect", async () => {
  const answer = await socket.emitWithAck("room:join", { room });
  process.send({ ready: answer.ok, id: socket.id });
});
