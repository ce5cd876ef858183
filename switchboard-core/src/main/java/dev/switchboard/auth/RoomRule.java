package dev.switchboard.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One authorization rule: a room-name pattern and who may join and publish.
 *
 * <p>Patterns: {@code *} matches anything, {@code {name}} one segment without {@code :} (bound
 * to that name), anything else itself. A pattern binding {@code {sub}} matches only the
 * principal's own subject ({@code user:{sub}}). Conditions map claim names to values that may
 * use the bound names ({@code {"documents": "{id}"}}); a claim satisfies its condition when it
 * equals the value or is a list containing it.
 *
 * @param room the pattern
 * @param join who may join: empty for nobody, an empty map for everyone, else claim conditions
 * @param publish who may publish, in the same form
 */
public record RoomRule(String room, Optional<Map<String, String>> join, Optional<Map<String, String>> publish) {
  private static final Optional<Map<String, String>> EVERYONE = Optional.of(Map.of());
  private static final Optional<Map<String, String>> NOBODY = Optional.empty();

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}|\\*");
  private static final ObjectMapper JSON = new ObjectMapper();

  public RoomRule {
    Objects.requireNonNull(room, "room");
    join = join.map(Map::copyOf);
    publish = publish.map(Map::copyOf);
  }

  /** Everyone may join and publish to rooms matching {@code room}. */
  public static RoomRule open(String room) {
    return new RoomRule(room, EVERYONE, EVERYONE);
  }

  /** The compiled pattern; named groups are the bound names. */
  public Pattern pattern() {
    StringBuilder regex = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(room);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(room.substring(last, m.start())));
      regex.append(m.group(1) == null ? ".*" : "(?<" + m.group(1) + ">[^:]+)");
      last = m.end();
    }
    regex.append(Pattern.quote(room.substring(last)));
    return Pattern.compile(regex.toString());
  }

  /**
   * Parses rules from JSON: {@code [{"room": "document:{id}", "join": {"documents": "{id}"}, "publish": false}, ...]}.
   * {@code join} and {@code publish} are {@code true} (everyone), {@code false} (nobody) or
   * claim conditions; {@code join} defaults to {@code true}, {@code publish} to the same as {@code join}.
   */
  public static List<RoomRule> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("room rules are not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("room rules must be a JSON array of {room, join?, publish?}");
    }
    List<RoomRule> rules = new ArrayList<>();
    for (JsonNode node : root) {
      JsonNode room = node.get("room");
      if (room == null || !room.isTextual() || room.textValue().isEmpty()) {
        throw new IllegalArgumentException("each room rule needs a \"room\" pattern: " + node);
      }
      Optional<Map<String, String>> join = access(node.get("join"), EVERYONE, node);
      Optional<Map<String, String>> publish = node.has("publish") ? access(node.get("publish"), NOBODY, node) : join;
      RoomRule rule = new RoomRule(room.textValue(), join, publish);
      rule.pattern();
      rules.add(rule);
    }
    return List.copyOf(rules);
  }

  private static Optional<Map<String, String>> access(JsonNode node, Optional<Map<String, String>> absent, JsonNode rule) {
    if (node == null) {
      return absent;
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? EVERYONE : NOBODY;
    }
    if (node.isObject()) {
      Map<String, String> conditions = new LinkedHashMap<>();
      node.fields().forEachRemaining(field -> {
        if (!field.getValue().isValueNode() || field.getValue().isNull()) {
          throw new IllegalArgumentException("claim conditions are text values: " + rule);
        }
        conditions.put(field.getKey(), field.getValue().asText());
      });
      return Optional.of(conditions);
    }
    throw new IllegalArgumentException("join and publish are true, false or {claim: value}: " + rule);
  }
}
