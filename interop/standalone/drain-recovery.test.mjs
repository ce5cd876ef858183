// Clients on a node that drains (SIGTERM): each is disconnected at its turn, reconnects through a
// balancer that sends new connections to a ready node, and must recover its session there
// (socket.recovered) while a publisher keeps sending numbered messages to its room. Every client
// counts every message of its room: none may be lost, none may arrive twice.
//
// SWITCHBOARD_URL: the balancer; SWITCHBOARD_CLIENTS: how many clients this process runs;
// SWITCHBOARD_FIRST: the index of its first client; SWITCHBOARD_ROOMS: client i joins room
// "drain-<i % rooms>". Messages are "chat" events with data {n}, counting up per room; a final
// "done" event with data {last} says that 1..last were published to the room.
// SWITCHBOARD_DEADLINE_MS: the run gives up (and fails) after this long.
// With presence on, a client that recovers never left: no client may see a presence:leave (nobody
// leaves a room in this run), nor a presence:join of a member it already saw join.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const URL = process.env.SWITCHBOARD_URL;
const CLIENTS = Number(process.env.SWITCHBOARD_CLIENTS ?? 100);
const FIRST = Number(process.env.SWITCHBOARD_FIRST ?? 0);
const ROOMS = Number(process.env.SWITCHBOARD_ROOMS ?? 10);
// Ends the run on its own, should the test that started it be gone.
const DEADLINE_MS = Number(process.env.SWITCHBOARD_DEADLINE_MS ?? 180000);
const opened = [];

setTimeout(() => {
  console.log(`DEADLINE: no verdict within ${DEADLINE_MS} ms`);
  process.exit(1);
}, DEADLINE_MS).unref();

after(() => {
  for (const s of opened) s.disconnect();
});

function member(index) {
  const room = `drain-${index % ROOMS}`;
  // The client's own reconnection settings (1 s first delay, randomized by half): nothing tuned.
  const socket = io(URL, { forceNew: true, transports: ["websocket"], timeout: 20000 });
  opened.push(socket);
  const client = { index, room, counts: new Map(), recovered: 0, fresh: 0, disconnects: [], refused: 0, refusals: [],
    members: new Set(), leaves: 0, rejoins: 0 };
  let first = true;
  client.joined = new Promise((resolve, reject) => {
    socket.on("connect", () => {
      if (first) {
        first = false;
        socket.timeout(20000).emitWithAck("room:join", { room }).then((answer) => {
          if (answer.ok) resolve(); else reject(new Error(JSON.stringify(answer)));
        }, reject);
      } else if (socket.recovered) {
        client.recovered++;
        client.away = Date.now() - client.disconnectedAt;
      } else {
        client.fresh++;
        socket.emit("room:join", { room });
      }
    });
  });
  socket.on("disconnect", (reason) => {
    client.disconnects.push(reason);
    client.disconnectedAt = Date.now();
  });
  socket.on("connect_error", (error) => {
    client.refused++;
    client.refusals.push(error.message);
  });
  socket.on("presence:join", ({ member }) => {
    if (client.members.has(member.id)) client.rejoins++;
    client.members.add(member.id);
  });
  socket.on("presence:leave", () => client.leaves++);
  socket.on("chat", (data) => client.counts.set(data.n, (client.counts.get(data.n) ?? 0) + 1));
  client.done = new Promise((resolve) => socket.on("done", (data) => resolve(data.last)));
  return client;
}

test(`${CLIENTS} clients of a draining node recover on another one with every message once`, async () => {
  const clients = [];
  // Connected in small batches, so that the handshakes do not all wait on one another.
  for (let i = 0; i < CLIENTS; i += 50) {
    const batch = Array.from({ length: Math.min(50, CLIENTS - i) }, (_, j) => member(FIRST + i + j));
    clients.push(...batch);
    await Promise.all(batch.map((c) => c.joined));
  }
  console.log(`JOINED ${CLIENTS}`);
  const lasts = await Promise.all(clients.map((c) => c.done));
  let lost = 0;
  let twice = 0;
  let recovered = 0;
  let refused = 0;
  let leaves = 0;
  let rejoins = 0;
  const reasons = new Map();
  const refusals = new Map();
  const problems = [];
  clients.forEach((client, i) => {
    const last = lasts[i];
    const missing = [];
    const repeated = [];
    for (let n = 1; n <= last; n++) {
      const count = client.counts.get(n) ?? 0;
      if (count === 0) missing.push(n);
      if (count > 1) repeated.push(n);
    }
    lost += missing.length;
    twice += repeated.length;
    recovered += client.recovered;
    refused += client.refused;
    leaves += client.leaves;
    rejoins += client.rejoins;
    for (const reason of client.disconnects) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    for (const refusal of client.refusals) refusals.set(refusal, (refusals.get(refusal) ?? 0) + 1);
    if (missing.length > 0 || repeated.length > 0 || client.recovered !== 1 || client.fresh > 0
        || client.leaves > 0 || client.rejoins > 0) {
      problems.push(`client ${client.index} (${client.room}): lost [${missing}] twice [${repeated}]`
        + ` recovered ${client.recovered} fresh ${client.fresh} disconnects [${client.disconnects}]`
        + ` presence:leave ${client.leaves} presence:join again ${client.rejoins}`);
    }
  });
  const away = clients.map((c) => c.away ?? 0).sort((a, b) => a - b);
  console.log(`RESULT clients=${CLIENTS} messages=${lasts.reduce((a, b) => a + b, 0)} lost=${lost} twice=${twice}`
    + ` recovered=${recovered} awayMs(median/p90/max)=${away[away.length >> 1]}/${away[Math.floor(away.length * 0.9)]}/${away[away.length - 1]}`
    + ` refusedAttempts=${refused} refusals=${JSON.stringify(Object.fromEntries(refusals))}`
    + ` disconnectReasons=${JSON.stringify(Object.fromEntries(reasons))}`
    + ` presenceLeaves=${leaves} presenceRejoins=${rejoins} clientsWithProblems=${problems.length}`);
  for (const problem of problems.slice(0, 50)) console.log(problem);
  assert.deepEqual(problems, []);
});
