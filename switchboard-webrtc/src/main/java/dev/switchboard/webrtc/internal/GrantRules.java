package dev.switchboard.webrtc.internal;

import dev.switchboard.auth.RoomRule;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.webrtc.SfuGrant;
import dev.switchboard.webrtc.SfuGrantRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link SfuGrantRule}s compiled: the grant of a user in a room, decided by the first rule matching it. */
public final class GrantRules {
  private static final Pattern BOUND = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
  /** What a room no rule matches gives: everything, recording included (when asked for, after consent). */
  private static final SfuGrant UNLIMITED = new SfuGrant(true, true, true, true);

  private record Compiled(SfuGrantRule rule, Pattern pattern, List<String> names) {}

  private final List<Compiled> rules;

  public GrantRules(List<SfuGrantRule> rules) {
    this.rules = rules.stream().map(rule -> new Compiled(rule, RoomRule.open(rule.room()).pattern(),
        BOUND.matcher(rule.room()).results().map(r -> r.group(1)).toList())).toList();
  }

  /** What {@code user} may do in {@code room}; {@code roomRecord} says whether they may ask for recording. */
  public SfuGrant grant(VerifiedToken user, String room) {
    for (Compiled compiled : rules) {
      Matcher m = compiled.pattern().matcher(room);
      if (!m.matches() || (compiled.names().contains("sub") && !m.group("sub").equals(user.subject()))) {
        continue;
      }
      SfuGrantRule rule = compiled.rule();
      return new SfuGrant(allows(rule.publish(), m, compiled, user), allows(rule.subscribe(), m, compiled, user),
          allows(rule.publishData(), m, compiled, user), allows(rule.record(), m, compiled, user));
    }
    return UNLIMITED;
  }

  private static boolean allows(Optional<Map<String, String>> who, Matcher m, Compiled compiled, VerifiedToken user) {
    if (who.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, String> condition : who.get().entrySet()) {
      String expected = condition.getValue();
      for (String name : compiled.names()) {
        expected = expected.replace("{" + name + "}", m.group(name));
      }
      if (!user.claimHas(condition.getKey(), expected.replace("{sub}", user.subject()))) {
        return false;
      }
    }
    return true;
  }
}
