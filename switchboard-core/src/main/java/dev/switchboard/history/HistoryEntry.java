package dev.switchboard.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.http.internal.Json;
import java.io.IOException;
import java.util.List;

/**
 * One message kept in a room's history.
 *
 * @param room the room it was published to
 * @param position where it sits in the room's stream
 * @param event the event name
 * @param argsJson the event's arguments as a JSON array, binary values as placeholders
 * @param attachments the binary values, in placeholder order
 * @param timestampMillis when it was published (epoch milliseconds)
 * @param sequence the order of appends across all rooms of the history, growing with each append
 *     (within a room it grows with the offset); replays that merge rooms sort by it, since several
 *     messages share a millisecond
 */
public record HistoryEntry(String room, StreamPosition position, String event, byte[] argsJson,
    List<byte[]> attachments, long timestampMillis, long sequence) {

  /** The arguments as a JSON array, binary values back in place (as {@code BinaryNode}s). */
  public ArrayNode arguments() {
    try {
      return Json.decodeArray(argsJson, attachments);
    } catch (IOException e) {
      throw new IllegalStateException("history entry " + position + " of " + room + " is unreadable", e);
    }
  }
}
