// stream() against a real Switchboard with JWT authentication (SWITCHBOARD_URL, JWT_SECRET; the
// server runs with --jwt-clock-skew 0 and --history-max-length 5), with the `eventsource` package
// as the EventSource that Node lacks.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { EventSource } from "eventsource";
import { io } from "socket.io-client";
import { stream } from "../../src/index.js";
import { startProxy } from "./proxy.mjs";
import { token, until } from "./jwt.mjs";

const SERVER = process.env.SWITCHBOARD_URL;
const cleanups = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

let rooms = 0;
const freshRoom = () => `stream-${process.pid}-${++rooms}`;

async function publisher(room) {
  const socket = io(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, auth: { token: token("publisher") } });
  cleanups.push(() => socket.disconnect());
  await new Promise((resolve, reject) => { socket.once("connect", resolve); socket.once("connect_error", reject); });
  assert.equal((await socket.emitWithAck("room:join", { room })).ok, true);
  return async (n) => assert.equal((await socket.emitWithAck("room:publish", { room, event: "item", data: { n } })).ok, true);
}

/** A stream of `room` recording what it is told; `tokens` answers getToken's calls in turn. */
function follow(room, tokens, options = {}) {
  const got = { items: [], gaps: [], errors: [], opens: 0, asked: 0 };
  const s = stream([room], {
    url: options.url ?? SERVER, EventSource, events: ["item"], retryDelay: 50,
    getToken: () => tokens(++got.asked),
    onEvent: (event, data, meta) => got.items.push({ event, n: data.n, id: meta.id }),
    onGap: (gap) => got.gaps.push(gap),
    onOpen: () => got.opens++,
    onError: (error) => got.errors.push(error),
  });
  cleanups.push(() => s.close());
  return { s, got };
}

/** A getToken whose first token lives `seconds`, the next ones ten minutes, once `release()` was called. */
function gatedTokens(sub, seconds) {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  return { release, tokens: async (n) => (n === 1 ? token(sub, seconds) : (await gate, token(sub))) };
}

const ns = (got) => got.items.map((i) => i.n);

test("on auth:expired the stream reopens with a fresh token and resumes where it stood: nothing lost, nothing twice", async () => {
  const room = freshRoom();
  const publish = await publisher(room);
  const { release, tokens } = gatedTokens("reader", 1);
  const { s, got } = follow(room, tokens);
  await until("the stream is open", () => got.opens === 1);
  await publish(1);
  await until("item 1 arrived", () => got.items.length === 1);
  assert.match(got.items[0].id, new RegExp(`${room}@[^,]+:1`));

  await until("the token expired and a fresh one is asked for", () => got.asked === 2);
  for (let n = 2; n <= 4; n++) await publish(n);
  release();
  await until("the reopened stream replayed what was missed", () => got.items.length === 4);
  await publish(5);
  await until("item 5 arrived live", () => got.items.length === 5);
  assert.deepEqual(ns(got), [1, 2, 3, 4, 5]);
  assert.equal(got.opens, 2);
  assert.deepEqual(got.gaps, []);
  assert.deepEqual(got.errors, []);
  assert.equal(s.lastEventId, got.items[4].id);

  s.close();
  assert.equal(s.closed, true);
  await publish(6);
  const other = follow(room, async () => token("other"), {});
  await until("another stream is open", () => other.got.opens === 1);
  await publish(7);
  await until("the other stream got item 7", () => other.got.items.length === 1);
  assert.deepEqual(ns(got), [1, 2, 3, 4, 5], "a closed stream is told nothing more");
});

test("more missed than the room keeps: onGap is told, then what is kept follows", async () => {
  const room = freshRoom();
  const publish = await publisher(room);
  const { release, tokens } = gatedTokens("reader", 1);
  const { got } = follow(room, tokens);
  await until("the stream is open", () => got.opens === 1);
  await publish(1);
  await until("item 1 arrived", () => got.items.length === 1);
  await until("a fresh token is asked for", () => got.asked === 2);
  for (let n = 2; n <= 9; n++) await publish(n);
  release();
  await until("the kept items arrived", () => got.items.length === 6);
  assert.equal(got.gaps.length, 1);
  assert.equal(got.gaps[0].room, room);
  assert.match(got.gaps[0].head, /:9$/);
  assert.deepEqual(ns(got), [1, 5, 6, 7, 8, 9]);
});

test("a reconnection refused because the token expired meanwhile is retried with a fresh token, from where it stood", async () => {
  const room = freshRoom();
  const publish = await publisher(room);
  const net = await startProxy(SERVER);
  cleanups.push(() => net.close());
  const { release, tokens } = gatedTokens("reader", 1);
  release();
  const { got } = follow(room, tokens, { url: net.url });
  await until("the stream is open", () => got.opens === 1);
  await publish(1);
  await until("item 1 arrived", () => got.items.length === 1);
  net.cut();                                           // the EventSource retries after the server's retry: 3000,
  await publish(2);                                    // by which time its token has expired: a 401
  await until("reopened with a fresh token", () => got.opens === 2, 15_000);
  await until("item 2 replayed", () => got.items.length === 2);
  assert.deepEqual(ns(got), [1, 2]);
  assert.ok(got.asked >= 2);
  assert.deepEqual(got.errors, []);
});

test("a refusal that a new token cannot cure ends the stream with the server's code", async () => {
  const { s, got } = follow("user:someone-else", async () => token("reader"));
  await until("the refusal is reported", () => got.errors.length === 1);
  assert.equal(got.errors[0].code, "FORBIDDEN_ROOM");
  assert.equal(s.closed, true);
  assert.equal(got.opens, 0);
  assert.equal(got.asked, 1);
});

test("bad arguments are refused at once", () => {
  assert.throws(() => stream([], { url: SERVER, EventSource }), TypeError);
  assert.throws(() => stream(["a"], { url: SERVER, EventSource: undefined }), /EventSource/);
  assert.throws(() => stream(["a"], { url: SERVER, EventSource, token: "t", getToken: () => "t" }), /not both/);
});
