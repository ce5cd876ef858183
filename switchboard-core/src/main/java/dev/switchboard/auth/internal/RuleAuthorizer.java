package dev.switchboard.auth.internal;

import dev.switchboard.auth.RoomAction;
import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.RoomDecision;
import dev.switchboard.auth.RoomRule;
import dev.switchboard.auth.VerifiedToken;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link RoomAuthorizer#rules}: decided at once, on the calling thread. */
public final class RuleAuthorizer implements RoomAuthorizer {
  private static final Pattern BOUND = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

  private record Compiled(RoomRule rule, Pattern pattern, List<String> names) {}

  private final List<Compiled> rules;

  public RuleAuthorizer(List<RoomRule> rules) {
    this.rules = rules.stream().map(rule -> {
      List<String> names = BOUND.matcher(rule.room()).results().map(r -> r.group(1)).toList();
      return new Compiled(rule, rule.pattern(), names);
    }).toList();
  }

  @Override
  public CompletableFuture<RoomDecision> authorize(VerifiedToken principal, String room, RoomAction action) {
    return CompletableFuture.completedFuture(decide(principal, room, action));
  }

  RoomDecision decide(VerifiedToken principal, String room, RoomAction action) {
    for (Compiled compiled : rules) {
      Matcher m = compiled.pattern().matcher(room);
      if (!m.matches() || (compiled.names().contains("sub") && !m.group("sub").equals(principal.subject()))) {
        continue;
      }
      Optional<Map<String, String>> allowed = action == RoomAction.JOIN ? compiled.rule().join() : compiled.rule().publish();
      if (allowed.isEmpty()) {
        return RoomDecision.forbidden("nobody may " + action.wireName() + " in \"" + room + "\"");
      }
      Map<String, String> conditions = allowed.get();
      for (Map.Entry<String, String> condition : conditions.entrySet()) {
        String expected = fill(condition.getValue(), m, compiled.names(), principal);
        if (!principal.claimHas(condition.getKey(), expected)) {
          return RoomDecision.forbidden("the token's " + condition.getKey() + " claim does not allow \"" + room + "\"");
        }
      }
      return RoomDecision.ALLOW;
    }
    return RoomDecision.forbidden("no rule allows \"" + room + "\"");
  }

  private static String fill(String template, Matcher m, List<String> names, VerifiedToken principal) {
    String value = template;
    for (String name : names) {
      value = value.replace("{" + name + "}", m.group(name));
    }
    return value.replace("{sub}", principal.subject());
  }
}
