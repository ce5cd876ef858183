package dev.switchboard.socketio;

import dev.switchboard.cluster.OccupancyChange;

/**
 * Told when a room gains its first member (a socket or an SSE stream, on any node) and loses its
 * last one: each change once over the cluster, on the node that decided it, on a thread that must
 * not be blocked (an event loop, or the cluster's I/O thread). A socket's own room is never
 * reported. On a cluster, every node should listen to the same namespaces: a room left vacated
 * by a node that stopped is reported by whichever live node notices.
 */
@FunctionalInterface
public interface OccupancyListener {
  void onOccupancy(OccupancyChange change);
}
