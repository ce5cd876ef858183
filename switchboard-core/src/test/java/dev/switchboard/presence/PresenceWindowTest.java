package dev.switchboard.presence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.http.internal.Json;
import dev.switchboard.presence.internal.PresenceWindow;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceWindowTest {
  private static ObjectNode member(String id, String name) {
    return Json.MAPPER.createObjectNode().put("id", id).put("name", name);
  }

  private static List<String> ids(List<JsonNode> members) {
    return members.stream().map(m -> m.get("id").asText()).toList();
  }

  @Test
  void foldsChangesPerMemberKeepingFirstHeardOrder() {
    PresenceWindow window = new PresenceWindow();
    window.record("bob", member("bob", "Bob"), true);
    window.record("ada", member("ada", "Ada"), false);
    window.record("cy", member("cy", "Cy"), true);
    window.record("bob", member("bob", "Bob"), true); // a repeat (heard twice in a cluster) changes nothing

    PresenceWindow.Diff diff = window.close();

    assertThat(ids(diff.joined())).containsExactly("bob", "cy");
    assertThat(ids(diff.left())).containsExactly("ada");
  }

  /**
   * A client that read the room's list in the middle of the window knows bob: told nothing, it
   * would keep him as a ghost.
   */
  @Test
  void joinThenLeaveInOneWindowIsToldAsALeave() {
    PresenceWindow window = new PresenceWindow();
    window.record("bob", member("bob", "Bob"), true);
    window.record("bob", member("bob", "Bob"), false);

    PresenceWindow.Diff diff = window.close();
    assertThat(diff.joined()).isEmpty();
    assertThat(ids(diff.left())).containsExactly("bob");
  }

  @Test
  void leaveThenComeBackIsToldAsAJoinWithTheInfoOfNow() {
    PresenceWindow renamed = new PresenceWindow();
    renamed.record("bob", member("bob", "Bob"), false);
    renamed.record("bob", member("bob", "Robert"), true);
    PresenceWindow.Diff diff = renamed.close();
    assertThat(diff.left()).isEmpty();
    assertThat(diff.joined()).containsExactly(member("bob", "Robert"));
  }

  @Test
  void lastChangeWinsOverManyFlips() {
    PresenceWindow window = new PresenceWindow();
    window.record("bob", member("bob", "Bob"), true);
    window.record("bob", member("bob", "Bob"), false);
    window.record("bob", member("bob", "Bob"), true);

    PresenceWindow.Diff diff = window.close();
    assertThat(ids(diff.joined())).containsExactly("bob");
    assertThat(diff.left()).isEmpty();
  }

  @Test
  void aClosedWindowTakesNoMoreChanges() {
    PresenceWindow window = new PresenceWindow();
    window.close();
    assertThat(window.record("bob", member("bob", "Bob"), true)).isFalse();
  }
}
