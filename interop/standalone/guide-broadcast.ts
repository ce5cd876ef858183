// The publisher half of the pattern guide's "Redis Pub/Sub for Multi-Server Broadcasting", as
// written there (the subscriber half is what --redis-publish-channel does in every node).
// When running multiple server instances, use Redis to broadcast across them
import { createClient } from 'redis';

const pubClient = createClient({ url: process.env.REDIS_URL });
const subClient = pubClient.duplicate();

await Promise.all([pubClient.connect(), subClient.connect()]);

// Publish from any service (e.g., after DB write)
async function broadcastToUser(userId: string, event: string, data: unknown) {
  await pubClient.publish(
    'ws:events',
    JSON.stringify({ room: `user:${userId}`, event, data })
  );
}

export { broadcastToUser, pubClient, subClient };
