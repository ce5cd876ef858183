// A polling-only client behind a load balancer without sticky sessions: SWITCHBOARD_URL is a proxy
// that sends every new connection to the next node, and this client opens one connection per
// HTTP request, so its requests alternate between the nodes. SWITCHBOARD_URL_A and _B are the
// nodes themselves. The nodes echo "echo" (ack and "echoed" event) and tell the room "observers"
// about every disconnection ("gone", socket id, reason).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const PROXY = process.env.SWITCHBOARD_URL;
const NODE_A = process.env.SWITCHBOARD_URL_A;
const NODE_B = process.env.SWITCHBOARD_URL_B;
const WAIT_MS = 5000;
const opened = [];

after(() => {
  for (const s of opened.splice(0)) s.disconnect();
});

function connect(url, transports) {
  const socket = io(url, { forceNew: true, transports, reconnection: false });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** The arguments of the next `event` on `socket` that `accept` takes. */
function next(socket, event, accept = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${WAIT_MS} ms`)), WAIT_MS);
    const listener = (...args) => {
      if (accept(...args)) {
        clearTimeout(timer);
        socket.off(event, listener);
        resolve(args);
      }
    };
    socket.on(event, listener);
  });
}

async function join(socket, room) {
  const answer = await socket.timeout(WAIT_MS).emitWithAck("room:join", { room });
  assert.equal(answer.ok, true, JSON.stringify(answer));
}

async function publish(socket, room, data) {
  const answer = await socket.timeout(WAIT_MS).emitWithAck("room:publish", { room, event: "chat", data });
  assert.equal(answer.ok, true, JSON.stringify(answer));
}

test("a polling-only client whose requests alternate between two nodes works end to end", async () => {
  const onA = await connect(NODE_A, ["websocket"]);
  const onB = await connect(NODE_B, ["websocket"]);
  await join(onA, "observers");
  await join(onA, "lobby");
  await join(onB, "lobby");

  const client = await connect(PROXY, ["polling"]);
  assert.equal(client.io.engine.transport.name, "polling");
  assert.match(client.io.engine.id, /\.[A-Za-z0-9_-]+$/, "the session id names its node");
  const disconnects = [];
  client.on("disconnect", (reason) => disconnects.push(reason));

  // Emits with acks, and the server's own emits, many times over both nodes.
  for (let i = 0; i < 20; i++) {
    const echoed = next(client, "echoed", (value) => value?.i === i);
    assert.deepEqual(await client.timeout(WAIT_MS).emitWithAck("echo", { i }), { i });
    assert.deepEqual((await echoed)[0], { i });
  }

  // Binary both ways.
  const bytes = Buffer.from([0, 1, 2, 250, 255]);
  const back = await client.timeout(WAIT_MS).emitWithAck("echo", bytes);
  assert.ok(Buffer.isBuffer(back), "binary came back as binary");
  assert.deepEqual([...back], [...bytes]);

  // Room broadcasts from either node reach it; its own reach both.
  await join(client, "lobby");
  for (const [from, text] of [[onA, "from A"], [onB, "from B"]]) {
    const got = next(client, "chat", (data) => data.text === text);
    await publish(from, "lobby", { text });
    assert.equal((await got)[1].room, "lobby");
  }
  const atA = next(onA, "chat", (data) => data.text === "from the poller");
  const atB = next(onB, "chat", (data) => data.text === "from the poller");
  await publish(client, "lobby", { text: "from the poller" });
  await Promise.all([atA, atB]);

  // Heartbeats go on across several ping intervals (the nodes ping every 300 ms).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.deepEqual(disconnects, []);
  assert.equal(client.connected, true);
  assert.equal(client.io.engine.transport.name, "polling");
  assert.deepEqual(await client.timeout(WAIT_MS).emitWithAck("echo", "still here"), "still here");

  // A clean disconnect reaches the server as the client's own.
  const id = client.id;
  const gone = next(onA, "gone", (goneId) => goneId === id);
  client.disconnect();
  const [goneId, reason] = await gone;
  assert.equal(goneId, id);
  assert.equal(reason, "client namespace disconnect");
});

test("with upgrades allowed, the client ends up working whichever node its probe reaches", async () => {
  for (let i = 0; i < 4; i++) {
    const client = await connect(PROXY, ["polling", "websocket"]);
    for (let j = 0; j < 5; j++) {
      assert.deepEqual(await client.timeout(WAIT_MS).emitWithAck("echo", { i, j }), { i, j });
    }
    client.disconnect();
  }
});
