// permessage-deflate with the official client: Node's ws offers it by default (engine.io-client's
// perMessageDeflate, threshold 1024), and a server started with compression on accepts it with
// server_no_context_takeover and client_no_context_takeover. Large messages (compressed both ways)
// and broadcasts to many compressed sockets must arrive intact. SWITCHBOARD_WS_COMPRESSION says
// whether the server compresses ("on") or not.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, connected, request, next, ask, uniqueRoom, asBuffer } from "./support.mjs";

const COMPRESSING = process.env.SWITCHBOARD_WS_COMPRESSION === "on";
const WEBSOCKET = { transports: ["websocket"] };

/** The ws instance under a connected socket.io-client socket. */
function webSocketOf(socket) {
  return socket.io.engine.transport.ws;
}

/** Text that compresses well but not trivially. */
function text(length, seed) {
  const words = ["room", "message", "socket", "event", "hello", "world", String(seed)];
  let out = "";
  for (let i = 0; out.length < length; i++) out += words[(i * 7 + seed) % words.length] + " ";
  return out.slice(0, length);
}

describe(`permessage-deflate (server compression ${COMPRESSING ? "on" : "off"})`, () => {
  afterEach(closeAll);

  it("is negotiated exactly when the server compresses, without context takeover", async () => {
    const socket = await connected(client("/", WEBSOCKET));
    const ws = webSocketOf(socket);
    assert.equal(ws.extensions, COMPRESSING ? "permessage-deflate" : "");
    if (COMPRESSING) {
      const params = ws._extensions["permessage-deflate"].params;
      assert.equal(params.server_no_context_takeover, true);
      assert.equal(params.client_no_context_takeover, true);
    }
  });

  it("large text and binary messages go both ways intact, one after another", async () => {
    const socket = await connected(client("/", WEBSOCKET));
    for (let i = 0; i < 20; i++) {
      const big = text(2000 + i * 2000, i);
      const bytes = Buffer.from(text(3000, i + 1));
      const [echoedText, echoedBytes, small] = await request(socket, "echo", big, bytes, "small");
      assert.equal(echoedText, big);
      assert.deepEqual(asBuffer(echoedBytes), bytes);
      assert.equal(small, "small");
    }
  });

  it("a large broadcast reaches every compressed socket of a room intact", async () => {
    const room = uniqueRoom("deflate");
    const sockets = await Promise.all(Array.from({ length: 6 }, () => connected(client("/", WEBSOCKET))));
    for (const socket of sockets) {
      await ask(socket, "join", room);
    }
    const payload = { text: text(40000, 7), list: Array.from({ length: 200 }, (_, i) => ({ i, name: `n${i}` })) };
    const received = sockets.map((socket) => next(socket, "fence"));
    await ask(sockets[0], "to-room", { room, except: [], event: "msg", payload });
    for (const [got] of await Promise.all(received)) {
      assert.deepEqual(got, payload);
    }
  });
});
