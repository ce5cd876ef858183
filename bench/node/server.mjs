// The bench contract served by Node's socket.io: the peer Switchboard is measured against.
//   join(room)            -> joins the room, acknowledged
//   publish(room, data)   -> io.to(room).emit("msg", data), and "event: msg" to the SSE streams of room
//   echo(data)            -> acknowledged with data
//   publish-ack(room, data) -> io.to(room).emit("msg", data), then acknowledged with data
//   GET /sse?rooms=a,b    -> a text/event-stream following those rooms
// Usage: node server.mjs PORT [REDIS_URL]   (or REDIS_URL in the environment; prints "ready PORT"
// once it accepts connections). With a Redis URL, every node given the same one shares rooms
// through @socket.io/redis-adapter, SSE streams included.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number.parseInt(process.argv[2] ?? "", 10);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error("usage: node server.mjs PORT [REDIS_URL]");
  process.exit(2);
}
const redisUrl = process.argv[3] || process.env.REDIS_URL || "";

// room -> Set of open SSE responses
const streams = new Map();

const http = createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname !== "/sse" || req.method !== "GET") {
    res.writeHead(404).end(); // socket.io answers its own path before this handler
    return;
  }
  const rooms = [...new Set((url.searchParams.get("rooms") ?? "").split(",").map((r) => r.trim()).filter(Boolean))];
  if (rooms.length === 0) {
    res.writeHead(400, { "content-type": "application/json" }).end('{"code":"NO_ROOMS"}');
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(": open\n\n");
  for (const room of rooms) {
    if (!streams.has(room)) streams.set(room, new Set());
    streams.get(room).add(res);
  }
  res.on("close", () => {
    for (const room of rooms) {
      const members = streams.get(room);
      members?.delete(res);
      if (members?.size === 0) streams.delete(room);
    }
  });
});

const io = new Server(http, { serveClient: false });

const sendToStreams = (room, data) => {
  const members = streams.get(room);
  if (!members) return;
  const event = `event: msg\ndata: ${JSON.stringify(data)}\n\n`;
  for (const res of members) res.write(event);
};

io.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    socket.join(room);
    if (typeof ack === "function") ack();
  });
  socket.on("publish", (room, data) => {
    io.to(room).emit("msg", data);
    sendToStreams(room, data);
    if (redisUrl) io.serverSideEmit("sse", room, data);
  });
  socket.on("echo", (data, ack) => {
    if (typeof ack === "function") ack(data);
  });
  socket.on("publish-ack", (room, data, ack) => {
    io.to(room).emit("msg", data);
    if (typeof ack === "function") ack(data);
  });
});
io.on("sse", (room, data) => sendToStreams(room, data));

let redisClients = [];
if (redisUrl) {
  const { createClient } = await import("redis");
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", (e) => console.error(`redis: ${e.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  redisClients = [pub, sub];
}

const stop = () => {
  for (const members of streams.values()) for (const res of members) res.end();
  io.close();
  for (const client of redisClients) client.disconnect().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

http.listen(port, "127.0.0.1", () => {
  console.log(`ready ${port}`);
});
