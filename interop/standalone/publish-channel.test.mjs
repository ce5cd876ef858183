// The pattern guide's backend code, unchanged, against two nodes started with
// --redis-publish-channel ws:events: each of a user's sockets gets each message once, whichever node
// it is connected to, and malformed messages are counted without harm.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { io } from "socket.io-client";

const [NODE_A, NODE_B] = process.env.SWITCHBOARD_URLS.split(",");
const SECRET = process.env.SWITCHBOARD_JWT_SECRET;
const API_KEY = process.env.SWITCHBOARD_API_KEY;
const MESSAGES = 30;
const opened = [];

after(() => {
  for (const socket of opened) socket.disconnect();
});

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
function token(sub) {
  const head = b64({ alg: "HS256", typ: "JWT" });
  const body = b64({ sub, exp: Math.floor(Date.now() / 1000) + 300 });
  const sig = crypto.createHmac("sha256", SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

function connect(url, user) {
  const socket = io(url, { forceNew: true, transports: ["websocket"], reconnection: false, auth: { token: token(user) } });
  opened.push(socket);
  const received = [];
  const barriers = [];
  socket.on("notification", (data) => received.push(data));
  socket.on("barrier", (data) => barriers.push(data));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve({ socket, received, barriers }));
    socket.once("connect_error", reject);
  });
}

async function api(url, operation, body) {
  const response = await fetch(`${url}/api/v1/server/${operation}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": API_KEY },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  assert.equal(response.status, 200, JSON.stringify(json));
  return json;
}

/** The guide's TypeScript, transpiled as it is and loaded beside the interop packages. */
async function loadGuide() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const source = fs.readFileSync(path.join(here, "guide-broadcast.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const dir = path.join(here, "..", "node_modules", ".cache");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `guide-broadcast-${process.pid}.mjs`);
  fs.writeFileSync(file, outputText);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

test("broadcastToUser reaches each of the user's sockets once across two nodes", async () => {
  const onA = await connect(NODE_A, "alice");
  const onB = await connect(NODE_B, "alice");
  const bob = await connect(NODE_A, "bob");
  const guide = await loadGuide();
  try {
    for (let n = 0; n < MESSAGES; n++) {
      await guide.broadcastToUser("alice", "notification", { n });
    }
    for (const bad of ["not json", "[1,2]", JSON.stringify({ room: "user:alice" }),
      JSON.stringify({ room: "user:alice", event: "disconnect", data: 1 }), JSON.stringify({ room: "bad room", event: "x" })]) {
      await guide.pubClient.publish("ws:events", bad);
    }
    await guide.broadcastToUser("alice", "notification", { n: MESSAGES });

    // Whatever either node sends on its own reaches the sockets in order: after a message each node
    // sends through the cluster, nothing of the channel's is still on its way.
    await waitUntil(() => onA.received.length > MESSAGES && onB.received.length > MESSAGES);
    await api(NODE_A, "publish", { user: "alice", event: "barrier", data: "a" });
    await api(NODE_B, "publish", { user: "alice", event: "barrier", data: "b" });
    await waitUntil(() => onA.barriers.length === 2 && onB.barriers.length === 2);

    const expected = Array.from({ length: MESSAGES + 1 }, (_, n) => ({ n }));
    assert.deepEqual(onA.received, expected, "the socket on node A got each message once, in order");
    assert.deepEqual(onB.received, expected, "the socket on node B got each message once, in order");
    assert.deepEqual(bob.received, [], "another user got nothing");

    for (const url of [NODE_A, NODE_B]) {
      const info = await api(url, "info", {});
      assert.equal(info.publishChannel.channel, "ws:events");
      assert.equal(info.publishChannel.malformed, 5, JSON.stringify(info));
      assert.equal(info.publishChannel.delivered, MESSAGES + 1, JSON.stringify(info));
    }
  } finally {
    await Promise.all([guide.pubClient.quit(), guide.subClient.quit()]);
  }
});

async function waitUntil(condition, ms = 10000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
