package dev.switchboard.socketio;

import java.util.Map;

/**
 * What one Socket.IO server counted since it started, read from the counters it keeps anyway
 * (the same the metrics endpoint reads): subtract two readings for rates.
 *
 * @param connectionsOpened Engine.IO handshakes accepted
 * @param connectionsClosed Engine.IO connections ended, by reason as Node's engine.io words it
 *     ({@code transport close}, {@code ping timeout}, ...); every reason is present
 * @param eventsReceived events clients sent (acknowledgements not counted)
 * @param eventsSent events emitted: each emit to a socket, and each broadcast once
 */
public record ServerCounts(long connectionsOpened, Map<String, Long> connectionsClosed, long eventsReceived, long eventsSent) {
  public ServerCounts {
    connectionsClosed = Map.copyOf(connectionsClosed);
  }
}
