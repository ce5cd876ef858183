// Cross-node latency in a mixed cluster: broadcasts published by the Node node and received by a
// client of a Switchboard node, and the other way round, with same-node delivery beside each for
// comparison. Each message carries the wall clock when it was published; every client runs in this
// process, so it is read on the same machine's clock. Prints p50 / p99 over MESSAGES messages.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { io as connectClient } from "socket.io-client";
import { startNode, wallClock } from "./socketio-node.mjs";

const [SB1, SB2] = process.env.SWITCHBOARD_URLS.split(",");
const WARMUP = 300;
const MESSAGES = Number(process.env.MESSAGES ?? 1000);
const EVERY_MS = 2;
const opened = [];
let node;

after(async () => {
  for (const s of opened.splice(0)) s.disconnect();
  await node?.close();
});

async function connect(url) {
  const socket = connectClient(url, { forceNew: true, transports: ["websocket"], reconnection: false });
  opened.push(socket);
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Latencies (ms) of `event` at `socket`, past the warm-up. */
function record(socket, event) {
  const latencies = [];
  socket.on(event, (i, sent) => {
    if (i >= WARMUP) latencies.push(wallClock() - sent);
  });
  return latencies;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function until(what, check, ms) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function measure(publisherUrl, receivers, label) {
  const sockets = [];
  for (const [name, url] of receivers) {
    const socket = await connect(url);
    assert.deepEqual(await socket.emitWithAck("room:join", { room: `lat-${label}` }), { ok: true });
    sockets.push([name, socket]);
  }
  const recorded = sockets.map(([name, socket]) => [name, record(socket, `t-${label}`)]);
  const publisher = await connect(publisherUrl);
  await publisher.emitWithAck("do:burst", { to: `lat-${label}`, event: `t-${label}`, count: WARMUP + MESSAGES, everyMs: EVERY_MS });
  await until(`every message of ${label} arrived`, () => recorded.every(([, l]) => l.length === MESSAGES), 60_000);
  const lines = recorded.map(([name, l]) => {
    const p50 = percentile(l, 0.5), p99 = percentile(l, 0.99);
    return { name, p50, p99, line: `${name}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms over ${l.length} messages` };
  });
  for (const { line } of lines) console.log(`latency ${line}`);
  return lines;
}

test("cross-node latency Node -> Switchboard and Switchboard -> Node", async () => {
  node = await startNode(process.env.REDIS_URL);
  const fromNode = await measure(node.url, [["Node -> Node (same node)", node.url], ["Node -> Switchboard", SB1]], "n");
  const fromSb = await measure(SB1, [["Switchboard -> Switchboard (same node)", SB1], ["Switchboard -> Node", node.url],
    ["Switchboard -> Switchboard (other node)", SB2]], "s");
  for (const { name, p99 } of [...fromNode, ...fromSb]) {
    assert.ok(p99 < 250, `${name} p99 ${p99} ms`);
  }
});
