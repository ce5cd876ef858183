package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** README's room rules for direct messages: a room {@code dm:a:b} is for users a and b alone. */
class DirectMessageRulesTest {
  private final RoomAuthorizer rules = RoomAuthorizer.rules(RoomRule.parse(
      "[{\"room\": \"dm:{sub}:{peer}\"}, {\"room\": \"dm:{peer}:{sub}\"}]"));

  private boolean allowed(String user, String room, RoomAction action) {
    VerifiedToken token = new VerifiedToken(user, Map.of("sub", user), Instant.now().plusSeconds(60));
    return rules.authorize(token, room, action).join().allowed();
  }

  @Test
  void bothUsersOfADirectRoomMayJoinAndPublishNobodyElse() {
    for (RoomAction action : List.of(RoomAction.JOIN, RoomAction.PUBLISH)) {
      assertThat(allowed("ada", "dm:ada:bob", action)).isTrue();
      assertThat(allowed("bob", "dm:ada:bob", action)).isTrue();
      assertThat(allowed("carol", "dm:ada:bob", action)).isFalse();
      assertThat(allowed("ada", "lobby", action)).isFalse();
    }
  }
}
