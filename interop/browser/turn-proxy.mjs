// A relay for TURN over TCP between browsers and a TURN server, which can cut the connections of
// one user, as a network change would: the browser's relay candidates on them die at once. It
// reads the STUN framing (RFC 5389 messages and RFC 5766 ChannelData, padded to four bytes over
// TCP) of what clients send, to learn each connection's user from the USERNAME of its requests
// ("<expiry>:<user id>" in the shared-secret scheme); the bytes themselves pass unchanged.
import net from "node:net";

const USERNAME = 0x0006;

/** Starts relaying `port` on 127.0.0.1 (0: any free port) to the TURN server at 127.0.0.1:`turnPort`. */
export async function turnTcpProxy(turnPort, port = 0) {
  const connections = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(turnPort, "127.0.0.1");
    const connection = { client, upstream, user: null };
    connections.add(connection);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      connections.delete(connection);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.on("data", (chunk) => {
      if (connection.user === null) connection.user = userOf(connection, chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    /** The users of the open connections. */
    users: () => [...connections].map((c) => c.user),
    /** Cuts every open connection of `user`; returns how many there were. */
    cut(user) {
      const cut = [...connections].filter((c) => c.user === user);
      for (const c of cut) {
        c.client.destroy();
        c.upstream.destroy();
        connections.delete(c);
      }
      return cut.length;
    },
    close() {
      for (const c of connections) {
        c.client.destroy();
        c.upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The user named by the first STUN request carrying a USERNAME among the client's first bytes;
 * null while none came yet, "" when none came in the first 64 KiB (no user: never cut).
 */
function userOf(connection, chunk) {
  connection.head = connection.head ? Buffer.concat([connection.head, chunk]) : chunk;
  let at = 0;
  const head = connection.head;
  while (at + 4 <= head.length) {
    const channelData = (head[at] & 0xc0) === 0x40;
    const length = channelData ? 4 + ((head.readUInt16BE(at + 2) + 3) & ~3) : 20 + head.readUInt16BE(at + 2);
    if (at + length > head.length) break;
    if (!channelData) {
      for (let attr = at + 20; attr + 4 <= at + length;) {
        const type = head.readUInt16BE(attr);
        const size = head.readUInt16BE(attr + 2);
        if (type === USERNAME) {
          const name = head.toString("utf8", attr + 4, attr + 4 + size);
          connection.head = null;
          return name.slice(name.indexOf(":") + 1);
        }
        attr += 4 + ((size + 3) & ~3);
      }
    }
    at += length;
  }
  if (head.length > 64 * 1024) {
    connection.head = null;
    return "";
  }
  return null;
}
