// Reconnection: when the server drops the connection the client reconnects by itself; when the
// server disconnects the socket on purpose it does not, but may reconnect when told to.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, connected, next, ask, observer, TRANSPORTS } from "./support.mjs";

const RECONNECTING = { reconnection: true, reconnectionDelay: 50, reconnectionDelayMax: 100, randomizationFactor: 0 };

for (const transport of TRANSPORTS) {
  describe(`reconnection over ${transport.name}`, () => {
    afterEach(closeAll);

    it("reconnects by itself after the server closes the connection", async () => {
      const socket = await connected(client("/", { ...transport.options, ...RECONNECTING, auth: { name: "phoenix" } }));
      const firstId = socket.id;
      const firstConnection = (await ask(socket, "whoami")).connection;
      const disconnected = next(socket, "disconnect");
      const reconnected = next(socket.io, "reconnect");
      const connectedAgain = disconnected.then(() => next(socket, "connect"));

      socket.emit("drop-connections");
      const [reason] = await disconnected;
      assert.equal(reason, "transport close");
      assert.equal(socket.active, true, "the client should be trying to reconnect");
      await reconnected;
      await connectedAgain;

      const me = await ask(socket, "whoami");
      assert.notEqual(me.id, firstId, "a new session gets a new socket id");
      assert.notEqual(me.connection, firstConnection);
      assert.equal(me.name, "phoenix", "auth is sent again on reconnection");
      assert.equal(me.transport, transport.name);
      assert.equal(await ask(socket, "echo", "back"), "back");
    });

    it("buffers emits made while disconnected and sends them after reconnecting", async () => {
      const socket = await connected(client("/", { ...transport.options, ...RECONNECTING }));
      const disconnected = next(socket, "disconnect");
      socket.emit("drop-connections");
      await disconnected;
      // Emitted while offline: the client queues it and the ack arrives after reconnection.
      assert.equal(await ask(socket, "echo", "queued while offline"), "queued while offline");
      assert.equal(socket.connected, true);
    });

    it("does not reconnect after a server-side disconnect, but can be reconnected by hand", async () => {
      const obs = await observer();
      const socket = await connected(client("/", { ...transport.options, ...RECONNECTING }));
      const firstId = socket.id;
      const left = obs.left(firstId);
      const disconnected = next(socket, "disconnect");
      socket.emit("disconnect-me", { close: true });
      assert.equal((await disconnected)[0], "io server disconnect");
      assert.equal((await left).reason, "server namespace disconnect");
      assert.equal(socket.active, false, "a server-side disconnect must not trigger automatic reconnection");

      socket.connect();
      await connected(socket);
      assert.notEqual(socket.id, firstId);
      assert.equal(await ask(socket, "echo", "manual"), "manual");
    });
  });
}
