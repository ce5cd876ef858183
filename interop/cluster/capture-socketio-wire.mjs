// Captures the Redis messages of real Node nodes (socket.io 4.8 + @socket.io/redis-adapter 8.x)
// and of @socket.io/redis-emitter, for the golden-byte tests of the socketio wire.
//   REDIS_URL=redis://127.0.0.1:6379 OUT=../switchboard-redis/src/test/resources/socketio-wire/adapter-8.json \
//     node cluster/capture-socketio-wire.mjs
// With ADAPTER=sharded the nodes use createShardedAdapter (subscriptionMode "dynamic", the default)
// instead, for the socketio-sharded wire (OUT=.../socketio-wire/sharded-adapter-8.json); the
// emitter does not speak that format and is left out.
import { createServer } from "node:http";
import { writeFileSync, readFileSync } from "node:fs";
import { createClient } from "redis";
import { Server } from "socket.io";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { Emitter } from "@socket.io/redis-emitter";
import { io as connectClient } from "socket.io-client";

const url = process.env.REDIS_URL;
const sharded = process.env.ADAPTER === "sharded";
const captured = [];
let label = "";

function record(message, channel) {
  captured.push({ label, channel: channel.toString(), hex: message.toString("hex") });
}

const tap = createClient({ url });
await tap.connect();
if (!sharded) {
  await tap.pSubscribe("*", record, true);
}

async function node() {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const http = createServer();
  const io = new Server(http, { adapter: sharded ? createShardedAdapter(pub, sub) : createAdapter(pub, sub) });
  io.of("/chat");
  await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { io, http, pub, sub, port: http.address().port };
}

async function until(check) {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out capturing ${label}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs `action` under `name` and waits until `count` more messages were captured. */
async function step(name, count, action) {
  label = name;
  const before = captured.length;
  if (sharded) {
    // The tap is one more subscriber of the namespace channel, which the sharded adapter counts as
    // a server that never answers: requests waiting for every answer are not awaited.
    Promise.resolve(action()).catch(() => {});
  } else {
    await action();
  }
  await until(() => captured.length >= before + count);
}

const a = await node();
const b = await node();
b.io.on("connection", (socket) => {
  socket.join("room-a");
  socket.data.role = "answerer";
});
b.io.on("ask", (question, callback) => callback(`b:${question}`));
b.io.on("tell", () => {});
b.io.on("ask-binary", (bytes, callback) => callback({ bytes: Buffer.from([...bytes, 4]) }));
const client = connectClient(`http://127.0.0.1:${b.port}`, { transports: ["websocket"], query: { q: "1" }, auth: { token: "t" } });
client.on("acked", (question, callback) => callback({ answer: question, bytes: Buffer.from([7, 8]) }));
await new Promise((resolve) => client.once("connect", resolve));
await until(() => b.io.of("/").sockets.size === 1);
if (sharded) {
  // Sharded channels have no patterns: the tap listens to each channel these steps use.
  const channels = ["socket.io#/#", "socket.io#/chat#", "socket.io#/#room-a#", "socket.io#/chat#room-a#"];
  for (const n of [a, b]) channels.push(`socket.io#/#${n.io.of("/").adapter.uid}#`);
  await tap.sSubscribe(channels, record, true);
}

await step("plain", 1, () => a.io.emit("plain", "text", 0, 1, -1, -33, 127, 128, 255, 256, 65535, 65536, -129, -32769,
  4294967295, 4294967296, -2147483649, 1.5, -0.25, true, false, null, { nested: { list: [1, "two", null] } }));
await step("strings", 1, () => a.io.emit("strings", "x".repeat(31), "y".repeat(32), "z".repeat(255), "w".repeat(256),
  "v".repeat(65536), "héllo ✓ 😀", ""));
await step("undefined", 1, () => a.io.emit("undefined", [1, undefined, 2], { kept: 1, dropped: undefined }));
await step("one-room", 1, () => a.io.to("room-a").emit("one-room", { x: 1 }));
await step("rooms-except", 1, () => a.io.to("room-a").to("room-b").except("room-c").emit("rooms-except", "y"));
await step("volatile", 1, () => a.io.volatile.emit("volatile", 1));
await step("binary", 1, () => a.io.emit("binary", Buffer.from([1, 2, 3]), { nested: Buffer.alloc(300, 255) }));
await step("namespace", 1, () => a.io.of("/chat").to("room-a").emit("namespace", "z"));
await step("fetch", 2, () => a.io.fetchSockets());
if (sharded) {
  await step("socket-room", 1, () => a.io.to(client.id).emit("socket-room", 1));
} else {
  await step("all-rooms", 2, () => a.io.of("/").adapter.allRooms());
}
await step("server-side-emit", 1, () => a.io.serverSideEmit("tell", 1, "two"));
await step("server-side-emit-ack", 2, () => a.io.serverSideEmitWithAck("ask", "why"));
if (sharded) {
  await step("server-side-emit-binary", 1, () => a.io.serverSideEmit("tell", Buffer.from([5, 6])));
  await step("server-side-emit-binary-ack", 2, () => a.io.serverSideEmitWithAck("ask-binary", Buffer.from([3])));
}
await step("broadcast-ack", 3, () => a.io.to("room-a").timeout(2000).emitWithAck("acked", "q"));
await step("sockets-join", 1, () => a.io.in("room-a").socketsJoin(["room-x", "room-y"]));
await step("sockets-leave", 1, () => a.io.in("room-a").except("room-z").socketsLeave("room-x"));

if (!sharded) {
  const emitter = new Emitter(a.pub);
  await step("emitter-emit", 1, () => emitter.to("room-a").except("room-b").emit("from-emitter", 1, Buffer.from([9])));
  await step("emitter-namespace", 1, () => emitter.of("/chat").emit("from-emitter", "chat"));
  await step("emitter-volatile", 1, () => emitter.volatile.emit("from-emitter", "v"));
  await step("emitter-join", 1, () => emitter.in("room-a").socketsJoin("room-e"));
  await step("emitter-leave", 1, () => emitter.in("room-a").socketsLeave("room-e"));
  await step("emitter-server-side-emit", 1, () => emitter.serverSideEmit("tell", "from-emitter"));
  await step("emitter-disconnect", 1, () => emitter.in("room-q").disconnectSockets(true));
}
await step("disconnect", 1, () => a.io.in("room-q").disconnectSockets());

client.disconnect();
const versions = Object.fromEntries(["socket.io", "@socket.io/redis-adapter", "@socket.io/redis-emitter", "notepack.io"]
  .map((name) => [name, JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url))).version]));
writeFileSync(process.env.OUT, JSON.stringify({ versions, uids: { a: a.io.of("/").adapter.uid, b: b.io.of("/").adapter.uid,
  aChat: a.io.of("/chat").adapter.uid }, messages: captured }, null, 1) + "\n");
for (const n of [a, b]) {
  n.io.close();
  await Promise.all([n.pub.quit().catch(() => {}), n.sub.quit().catch(() => {})]);
}
await tap.quit();
process.exit(0);
