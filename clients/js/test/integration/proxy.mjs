// A TCP proxy in front of the server that a test can cut, refuse through, or make swallow the
// server's bytes (so the server receives a message but its answer never reaches the client).
import net from "node:net";

export async function startProxy(target) {
  const { hostname, port } = new URL(target);
  const pairs = new Set();
  let refusing = false;
  let swallowing = false;
  const server = net.createServer((client) => {
    if (refusing) return client.destroy();
    const upstream = net.connect(Number(port), hostname);
    const pair = { client, upstream };
    pairs.add(pair);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => { if (!swallowing) client.write(chunk); });
    const close = () => { pairs.delete(pair); client.destroy(); upstream.destroy(); };
    client.on("close", close); upstream.on("close", close);
    client.on("error", close); upstream.on("error", close);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Drops every open connection, as a network failure would. */
    cut() { for (const { client, upstream } of pairs) { client.destroy(); upstream.destroy(); } },
    refuse(on) { refusing = on; },
    swallow(on) { swallowing = on; },
    close() { this.cut(); return new Promise((resolve) => server.close(resolve)); },
  };
}
