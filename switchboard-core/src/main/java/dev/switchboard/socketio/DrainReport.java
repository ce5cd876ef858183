package dev.switchboard.socketio;

import java.time.Duration;

/**
 * What a drain did ({@link SocketIoServer#drain(DrainOptions)}).
 *
 * @param took from the start of the drain until it completed
 * @param connections Socket.IO connections closed at their turn
 * @param sseStreams SSE streams ended at their turn
 * @param cut connections and SSE streams still open at the timeout, closed at once then
 * @param participantsFinished whether every participant finished within the timeout
 */
public record DrainReport(Duration took, int connections, int sseStreams, int cut, boolean participantsFinished) {
  /** Whether everything ended in time: nothing was cut, and every participant finished. */
  public boolean complete() {
    return cut == 0 && participantsFinished;
  }
}
