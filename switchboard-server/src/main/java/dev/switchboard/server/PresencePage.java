package dev.switchboard.server;

import dev.switchboard.presence.PresenceMember;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One page of a room's members in the order of their ids, which stays put as members come and go:
 * a reader that pages on with {@link #next} meets every member present throughout exactly once.
 *
 * @param members at most the page's limit of members
 * @param next the id to ask for the members after, when more follow
 */
record PresencePage(List<PresenceMember> members, Optional<String> next) {
  PresencePage {
    members = List.copyOf(members);
  }

  /** The page of at most {@code limit} of {@code all} whose ids sort after {@code after} (from the first without it). */
  static PresencePage of(List<PresenceMember> all, Optional<String> after, int limit) {
    List<PresenceMember> following = all.stream()
        .filter(member -> after.isEmpty() || member.id().compareTo(after.get()) > 0)
        .sorted(Comparator.comparing(PresenceMember::id))
        .toList();
    if (following.size() <= limit) {
      return new PresencePage(following, Optional.empty());
    }
    List<PresenceMember> page = following.subList(0, limit);
    return new PresencePage(page, Optional.of(page.get(limit - 1).id()));
  }
}
