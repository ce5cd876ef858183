package dev.switchboard.presence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The presence changes of one room heard within one window, folded per member into the last one:
 * a member who joined and left again is in {@code left}, one who left and came back is in
 * {@code joined} with their info as it is now. A change that cancels out is still told: a client
 * may have read the room's list in the middle of the window (it then knows the member who joined
 * and would keep a ghost if the leave were folded away). Members keep the order in which the window
 * first heard of them. Not thread-safe: its owner serializes calls.
 */
public final class PresenceWindow {
  /** What one member did last within the window, and who they were then. */
  private record Change(boolean joined, JsonNode member) {}

  private final LinkedHashMap<String, Change> changes = new LinkedHashMap<>();
  private boolean closed;

  /** The net change of a window: members to show and members to hide, each as {@code {id, ...info}}. */
  public record Diff(List<JsonNode> joined, List<JsonNode> left) {
    public Diff {
      joined = List.copyOf(joined);
      left = List.copyOf(left);
    }

    public boolean isEmpty() {
      return joined.isEmpty() && left.isEmpty();
    }
  }

  /**
   * Records that {@code member} ({@code {id, ...info}}) joined or left; false, recording nothing,
   * once the window is {@link #close closed}.
   */
  public boolean record(String memberId, JsonNode member, boolean joined) {
    if (closed) {
      return false;
    }
    changes.put(memberId, new Change(joined, member)); // a key put again keeps its place
    return true;
  }

  /** Closes the window (later changes go to the next one) and folds what it heard. */
  public Diff close() {
    closed = true;
    List<JsonNode> joined = new ArrayList<>();
    List<JsonNode> left = new ArrayList<>();
    for (Change change : changes.values()) {
      (change.joined() ? joined : left).add(change.member());
    }
    return new Diff(joined, left);
  }
}
