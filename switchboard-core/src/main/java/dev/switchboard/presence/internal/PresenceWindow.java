package dev.switchboard.presence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The presence changes of one room heard within one window, folded per member into what changed
 * from the window's start to its end: a member who joined and left again appears in neither list,
 * nor one who left and came back (unless their public info changed: then they are in
 * {@code joined} with the new info). Members keep the order in which the window first heard of
 * them. Not thread-safe: its owner serializes calls.
 */
public final class PresenceWindow {
  /** What one member did within the window: the first and last change heard, and who they were at the last. */
  private record Changes(boolean firstJoined, JsonNode first, boolean lastJoined, JsonNode last) {}

  private final LinkedHashMap<String, Changes> changes = new LinkedHashMap<>();
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
    Changes before = changes.get(memberId);
    changes.put(memberId, before == null
        ? new Changes(joined, member, joined, member)
        : new Changes(before.firstJoined(), before.first(), joined, member));
    return true;
  }

  /** Closes the window (later changes go to the next one) and folds what it heard. */
  public Diff close() {
    closed = true;
    List<JsonNode> joined = new ArrayList<>();
    List<JsonNode> left = new ArrayList<>();
    for (Changes change : changes.values()) {
      if (change.firstJoined() == change.lastJoined()) {
        (change.lastJoined() ? joined : left).add(change.last());
      } else if (change.lastJoined() && !change.first().equals(change.last())) {
        joined.add(change.last()); // left and came back with other info: shown again as they are now
      }
      // else in and out again, or out and back as they were: nothing to tell
    }
    return new Diff(joined, left);
  }
}
