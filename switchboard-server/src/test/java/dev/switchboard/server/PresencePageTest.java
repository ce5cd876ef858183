package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.presence.PresenceMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PresencePageTest {
  private static PresenceMember member(int n) {
    return new PresenceMember(String.format("m%04d", n), Map.of("name", "Member " + n));
  }

  private static List<String> ids(PresencePage page) {
    return page.members().stream().map(PresenceMember::id).toList();
  }

  @Test
  void aSmallRoomIsOnePageWithoutNext() {
    PresencePage page = PresencePage.of(List.of(member(2), member(1)), Optional.empty(), 1000);
    assertThat(ids(page)).containsExactly("m0001", "m0002");
    assertThat(page.next()).isEmpty();
  }

  @Test
  void pagesFollowTheIdsAndMeetEveryMemberPresentThroughoutOnce() {
    List<PresenceMember> room = new ArrayList<>(IntStream.range(0, 2500).mapToObj(PresencePageTest::member).toList());
    java.util.Collections.shuffle(room, new java.util.Random(7));
    List<String> seen = new ArrayList<>();
    Optional<String> after = Optional.empty();
    int pages = 0;
    do {
      PresencePage page = PresencePage.of(room, after, 1000);
      seen.addAll(ids(page));
      after = page.next();
      pages++;
      // Members come and go between pages: one before the cursor leaves, one after it arrives.
      room.remove(member(0));
      room.add(member(9000 + pages));
    } while (after.isPresent());
    assertThat(pages).isEqualTo(3);
    assertThat(seen).doesNotHaveDuplicates().containsAll(IntStream.range(0, 2500).mapToObj(n -> String.format("m%04d", n)).toList());
  }

  @Test
  void nextIsTheLastIdOfAFullPage() {
    PresencePage page = PresencePage.of(IntStream.range(0, 11).mapToObj(PresencePageTest::member).toList(), Optional.empty(), 10);
    assertThat(page.members()).hasSize(10);
    assertThat(page.next()).contains("m0009");
  }
}
