// A Node Socket.IO node (socket.io 4.8 + @socket.io/redis-adapter) for the mixed-cluster tests,
// answering the same control events as the Switchboard nodes of those tests.
import { createServer } from "node:http";
import { createClient, createCluster } from "redis";
import { Server } from "socket.io";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";

export const ACK_TIMEOUT = 3000;

/** Wall-clock milliseconds with fractions, comparable between processes on one machine. */
export function wallClock() {
  return performance.timeOrigin + performance.now();
}

/** A client of `redisUrl`: one server, or a Redis Cluster given as redis-cluster://host:port[,host:port...]. */
function redisClient(redisUrl) {
  if (!redisUrl.startsWith("redis-cluster://")) {
    return createClient({ url: redisUrl });
  }
  const seeds = redisUrl.slice("redis-cluster://".length).split(",");
  return createCluster({ rootNodes: seeds.map((seed) => ({ url: `redis://${seed}` })) });
}

/**
 * Starts a Node node on `redisUrl`; resolves with {url, io, pub, close}. With `sharded` it uses
 * createShardedAdapter (subscriptionMode `sharded`: "static", "dynamic" or "dynamic-private").
 */
export async function startNode(redisUrl, name = "node", sharded = "") {
  const pub = redisClient(redisUrl);
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const http = createServer();
  const adapter = sharded ? createShardedAdapter(pub, sub, { subscriptionMode: sharded })
    : createAdapter(pub, sub, { requestsTimeout: ACK_TIMEOUT });
  const io = new Server(http, { adapter });
  control(io, name);
  await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}`,
    io,
    pub,
    async close() {
      io.close();
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

/** The control events every node of these tests answers. */
export function control(io, name) {
  for (const nsp of [io.of("/"), io.of("/chat")]) {
    nsp.on("ask", (question, callback) => callback(`${name}:${question}`));
    nsp.on("tell", (what) => nsp.local.emit("told", name, what));
    nsp.on("connection", (socket) => {
      socket.data.node = name;
      const select = (spec) => {
        let target = spec.to?.length ? nsp.to(spec.to) : nsp;
        if (spec.except?.length) target = target.except(spec.except);
        return target;
      };
      socket.on("whoami", (ack) => ack(name));
      socket.on("room:join", ({ room }, ack) => { socket.join(room); ack({ ok: true }); });
      socket.on("do:emit", (spec, ack) => {
        let target = select(spec);
        if (spec.volatile) target = target.volatile;
        const args = [...(spec.args ?? [])];
        if (spec.binary) args.push(Buffer.from([1, 2, 3]));
        target.emit(spec.event, ...args);
        ack("sent");
      });
      socket.on("do:fetch", async (spec, ack) => {
        const sockets = await select(spec).fetchSockets();
        ack(sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data, auth: s.handshake.auth,
          query: s.handshake.query, address: s.handshake.address, issued: s.handshake.issued, time: s.handshake.time })));
      });
      socket.on("do:join", async (spec, ack) => { await select(spec).socketsJoin(spec.rooms); ack("joined"); });
      socket.on("do:leave", async (spec, ack) => { await select(spec).socketsLeave(spec.rooms); ack("left"); });
      socket.on("do:disconnect", async (spec, ack) => { await select(spec).disconnectSockets(true); ack("disconnected"); });
      socket.on("do:ask", async ({ question }, ack) => {
        try {
          ack({ answers: await nsp.serverSideEmitWithAck("ask", question) });
        } catch (error) {
          ack({ error: error.message });
        }
      });
      socket.on("do:tell", ({ what }, ack) => { nsp.serverSideEmit("tell", what); ack("told"); });
      socket.on("do:poll", async (spec, ack) => {
        try {
          ack({ answers: await select(spec).timeout(ACK_TIMEOUT).emitWithAck(spec.event, spec.question) });
        } catch (error) {
          ack({ error: error.message });
        }
      });
      socket.on("do:rooms", async (ack) => ack([...(await nsp.adapter.allRooms())]));
      // `count` messages to `to`, one every `everyMs`, each with its index and the wall clock when sent.
      socket.on("do:burst", ({ to, event, count, everyMs }, ack) => {
        let i = 0;
        const timer = setInterval(() => {
          nsp.to(to).emit(event, i, wallClock());
          if (++i === count) {
            clearInterval(timer);
          }
        }, everyMs);
        ack("started");
      });
    });
  }
}

