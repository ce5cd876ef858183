// maxHttpBufferSize: a message exactly at the limit is accepted, one byte more closes that
// client's connection, and other clients do not notice.
import { describe, it, afterEach } from "node:test";
import assert from "node:assert/strict";
import { client, closeAll, connected, next, ask, observer, MAX_HTTP_BUFFER_SIZE, TRANSPORTS } from "./support.mjs";

// `socket.emit("big", text)` is sent as the Engine.IO message `42["big","<text>"]`.
const OVERHEAD = '42["big",""]'.length;
const atLimit = () => "x".repeat(MAX_HTTP_BUFFER_SIZE - OVERHEAD);
const overLimit = () => "x".repeat(MAX_HTTP_BUFFER_SIZE - OVERHEAD + 1);

for (const transport of TRANSPORTS) {
  describe(`payload limits over ${transport.name}`, () => {
    afterEach(closeAll);

    it("accepts a message of exactly maxHttpBufferSize bytes", async () => {
      const socket = await connected(client("/", transport.options));
      const received = next(socket, "big-received");
      socket.emit("big", atLimit());
      assert.deepEqual(await received, [MAX_HTTP_BUFFER_SIZE - OVERHEAD]);
      assert.equal(socket.connected, true);
    });

    it("refuses a message one byte over the limit without disturbing another client", async () => {
      const obs = await observer();
      const bystander = await connected(client("/", transport.options));
      let bystanderDisconnects = 0;
      bystander.on("disconnect", () => bystanderDisconnects++);

      const offender = await connected(client("/", {
        ...transport.options, reconnection: true, reconnectionDelay: 50, randomizationFactor: 0,
      }));
      const offenderId = offender.id;
      const left = obs.left(offenderId);
      const disconnected = next(offender, "disconnect");
      const back = disconnected.then(() => next(offender, "connect"));
      offender.emit("big", overLimit());

      const [reason] = await disconnected;
      assert.ok(["transport close", "transport error"].includes(reason), `client saw ${reason}`);
      assert.equal((await left).reason, "transport error", "the server reports the oversized message as a transport error");

      assert.equal(await ask(bystander, "echo", "unaffected"), "unaffected");
      assert.equal(bystanderDisconnects, 0);

      // The offender reconnects by itself and may send a message at the limit.
      await back;
      assert.notEqual(offender.id, offenderId);
      const received = next(offender, "big-received");
      offender.emit("big", atLimit());
      assert.deepEqual(await received, [MAX_HTTP_BUFFER_SIZE - OVERHEAD]);
    });
  });
}
