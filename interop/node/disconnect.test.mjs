// Disconnect reasons as the server reports them (Node's texts), and as the client sees them.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, manager, closeAll, connected, next, ask, observer, TRANSPORTS } from "./support.mjs";

for (const transport of TRANSPORTS) {
  describe(`disconnect reasons over ${transport.name}`, () => {
    afterEach(closeAll);

    it("client socket.disconnect() -> client namespace disconnect", async () => {
      const obs = await observer();
      const socket = await connected(client("/chat", { ...transport.options, auth: { name: "leaver" } }));
      const id = socket.id;
      const left = obs.left(id);
      const disconnected = next(socket, "disconnect");
      socket.disconnect();
      assert.equal((await disconnected)[0], "io client disconnect");
      assert.deepEqual(await left, { id, nsp: "/chat", name: "leaver", reason: "client namespace disconnect" });
    });

    it("client closes the connection -> transport close", async () => {
      const obs = await observer();
      const socket = await connected(client("/", transport.options));
      const left = obs.left(socket.id);
      const disconnected = next(socket, "disconnect");
      socket.io.engine.close();
      assert.equal((await disconnected)[0], "forced close", "the client's own name for closing its connection");
      assert.equal((await left).reason, "transport close");
    });

    it("server socket.disconnect() -> server namespace disconnect / io server disconnect", async () => {
      const obs = await observer();
      const socket = await connected(client("/", transport.options));
      const left = obs.left(socket.id);
      const disconnected = next(socket, "disconnect");
      socket.emit("disconnect-me", { close: false });
      assert.equal((await disconnected)[0], "io server disconnect");
      assert.equal((await left).reason, "server namespace disconnect");
    });

    it("leaving one namespace of a shared connection keeps the others", async () => {
      const obs = await observer();
      const m = manager(transport.options);
      const main = m.socket("/");
      const chat = m.socket("/chat");
      await Promise.all([connected(main), connected(chat)]);
      const left = obs.left(chat.id);
      chat.disconnect();
      assert.equal((await left).reason, "client namespace disconnect");
      assert.equal(await ask(main, "echo", "still connected"), "still connected");

      // The namespace can be joined again on the same connection.
      const connection = (await ask(main, "whoami")).connection;
      chat.connect();
      await connected(chat);
      assert.equal((await ask(chat, "whoami")).connection, connection);

      // Closing the connection then ends the remaining namespace with "transport close".
      const mainLeft = obs.left(main.id);
      m.engine.close();
      assert.equal((await mainLeft).reason, "transport close");
    });
  });
}

describe("disconnect reasons: connection lost", () => {
  afterEach(closeAll);

  it("the client's TCP connection dies without a close packet -> transport close", async () => {
    const obs = await observer();
    const socket = await connected(client("/", { transports: ["websocket"] }));
    const left = obs.left(socket.id);
    socket.io.engine.transport.ws.terminate(); // the `ws` WebSocket under the client: no close frame
    assert.equal((await left).reason, "transport close");
  });
});
