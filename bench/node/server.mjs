// The bench contract served by Node's socket.io: the peer Switchboard is measured against.
//   join(room)            -> joins the room, acknowledged
//   publish(room, data)   -> io.to(room).emit("msg", data)
//   echo(data)            -> acknowledged with data
// Usage: node server.mjs PORT   (prints "ready PORT" once it accepts connections)
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number.parseInt(process.argv[2] ?? "", 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error("usage: node server.mjs PORT");
  process.exit(2);
}

const http = createServer();
const io = new Server(http, { serveClient: false });

io.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack();
  });
  socket.on("publish", (room, data) => {
    io.to(room).emit("msg", data);
  });
  socket.on("echo", (data, ack) => {
    if (typeof ack === "function") ack(data);
  });
});

const stop = () => {
  io.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

http.listen(port, "127.0.0.1", () => {
  console.log(`ready ${port}`);
});
