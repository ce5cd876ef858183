package dev.switchboard.history;

import java.util.List;
import java.util.Optional;
import dev.switchboard.http.internal.Globs;
import java.util.function.Predicate;

/** History rules in order, the first matching one applying to a room. */
public final class HistoryRules {
  private record Compiled(Predicate<String> matches, HistoryRule rule) {}

  private final List<Compiled> rules;

  public HistoryRules(List<HistoryRule> rules) {
    this.rules = rules.stream().map(r -> new Compiled(Globs.matcher(r.roomPattern()), r)).toList();
  }

  /** The rule of {@code room} when it keeps any history. */
  public Optional<HistoryRule> of(String room) {
    for (Compiled compiled : rules) {
      if (compiled.matches().test(room)) {
        return compiled.rule().maxLength() > 0 ? Optional.of(compiled.rule()) : Optional.empty();
      }
    }
    return Optional.empty();
  }
}
