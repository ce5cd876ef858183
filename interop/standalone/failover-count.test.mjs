// Clients moved from node to node: each time their node stops, they reconnect through a balancer
// to the next one while messages keep coming to their room. Every client counts every message:
// none may be lost, none may arrive twice, and every reconnection must be a recovery.
//
// SWITCHBOARD_URL: the balancer; SWITCHBOARD_CLIENTS: how many clients; SWITCHBOARD_MOVES: how
// many times they are moved; SWITCHBOARD_ROOM: their room; SWITCHBOARD_TOKEN: their token. Messages are "chat" events with data
// {n}; a final "done" event with data {last} says that 1..last were published.
// SWITCHBOARD_RECONNECT_DELAY_MS: the clients' first reconnection delay (50 ms, randomized by half).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const URL = process.env.SWITCHBOARD_URL;
const CLIENTS = Number(process.env.SWITCHBOARD_CLIENTS ?? 50);
const MOVES = Number(process.env.SWITCHBOARD_MOVES ?? 1);
const ROOM = process.env.SWITCHBOARD_ROOM ?? "failover";
const TOKEN = process.env.SWITCHBOARD_TOKEN;
const RECONNECT_DELAY_MS = Number(process.env.SWITCHBOARD_RECONNECT_DELAY_MS ?? 50);
const opened = [];

after(() => {
  for (const s of opened) s.disconnect();
});

async function join(socket) {
  const answer = await socket.timeout(10000).emitWithAck("room:join", { room: ROOM });
  assert.equal(answer.ok, true, JSON.stringify(answer));
}

function member(index) {
  const socket = io(URL, {
    forceNew: true,
    transports: ["websocket"],
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: 5 * RECONNECT_DELAY_MS,
    timeout: 10000,
    auth: { token: TOKEN },
  });
  opened.push(socket);
  const client = { index, counts: new Map(), arrivals: new Map(), recovered: 0, fresh: 0, done: null, joined: null };
  let first = true;
  client.joined = new Promise((resolve, reject) => {
    socket.on("connect", () => {
      if (first) {
        first = false;
        join(socket).then(resolve, reject);
      } else if (socket.recovered) {
        client.recovered++;
      } else {
        // Counted as a failure; joining again lets the run end with a report instead of a timeout.
        client.fresh++;
        join(socket).catch(() => {});
      }
    });
  });
  socket.on("chat", (data, meta, offset) => {
    client.counts.set(data.n, (client.counts.get(data.n) ?? 0) + 1);
    // Where each arrival came: after which reconnection, with which offset.
    const seen = client.arrivals.get(data.n) ?? [];
    seen.push(`connection ${client.recovered + client.fresh} offset ${offset}`);
    client.arrivals.set(data.n, seen);
  });
  client.done = new Promise((resolve) => socket.on("done", (data) => resolve(data.last)));
  return client;
}

test(`${CLIENTS} clients moved ${MOVES} times get every message once`, async () => {
  const clients = Array.from({ length: CLIENTS }, (_, i) => member(i));
  await Promise.all(clients.map((c) => c.joined));
  console.log(`JOINED ${CLIENTS}`);
  const lasts = await Promise.all(clients.map((c) => c.done));
  const last = lasts[0];
  let lost = 0;
  let twice = 0;
  const problems = [];
  for (const client of clients) {
    const missing = [];
    const repeated = [];
    for (let n = 1; n <= last; n++) {
      const count = client.counts.get(n) ?? 0;
      if (count === 0) missing.push(n);
      if (count > 1) repeated.push(n);
    }
    lost += missing.length;
    twice += repeated.length;
    if (missing.length > 0 || repeated.length > 0 || client.recovered !== MOVES || client.fresh > 0) {
      problems.push(`client ${client.index}: lost [${missing}] twice [${repeated}] recovered ${client.recovered}/${MOVES}`
        + ` fresh ${client.fresh}` + repeated.map((n) => ` (${n}: ${client.arrivals.get(n).join(", ")})`).join(""));
    }
  }
  console.log(`RESULT clients=${CLIENTS} moves=${MOVES} messages=${last} lost=${lost} twice=${twice}`
    + ` clientsWithProblems=${problems.length}`);
  for (const problem of problems) console.log(problem);
  assert.ok(lasts.every((l) => l === last), "every client saw the same last message");
  assert.deepEqual(problems, []);
});
