package dev.switchboard.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.RoomRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who gets which SFU grant in the rooms matching a pattern (the room rules' syntax: {@code *}
 * matches anything, {@code {name}} one segment without {@code :}). Each grant is empty (nobody),
 * an empty map (everyone) or claim conditions whose values may use the pattern's names and
 * {@code {sub}}; a claim satisfies its condition when it equals the value or is a list containing it.
 *
 * @param room the room pattern
 * @param publish who may publish audio and video
 * @param subscribe who may receive the others' tracks
 * @param publishData who may send data messages
 * @param record who may ask for a token with {@code roomRecord} (still only once every participant consented)
 */
public record SfuGrantRule(String room, Optional<Map<String, String>> publish, Optional<Map<String, String>> subscribe,
    Optional<Map<String, String>> publishData, Optional<Map<String, String>> record) {
  private static final Optional<Map<String, String>> EVERYONE = Optional.of(Map.of());
  private static final Optional<Map<String, String>> NOBODY = Optional.empty();
  private static final ObjectMapper JSON = new ObjectMapper();

  public SfuGrantRule {
    Objects.requireNonNull(room, "room");
    publish = publish.map(Map::copyOf);
    subscribe = subscribe.map(Map::copyOf);
    publishData = publishData.map(Map::copyOf);
    record = record.map(Map::copyOf);
    RoomRule.open(room).pattern();
  }

  /** Rooms matching {@code room} where nobody publishes: everyone watches and listens. */
  public static SfuGrantRule viewersOnly(String room) {
    return new SfuGrantRule(room, NOBODY, EVERYONE, NOBODY, NOBODY);
  }

  /**
   * Parses rules from JSON:
   * {@code [{"room": "call:stage-{id}", "publish": {"role": "speaker"}, "subscribe": true}, ...]}.
   * Each grant is {@code true}, {@code false} or claim conditions; {@code publish} and
   * {@code subscribe} default to {@code true}, {@code publishData} and {@code record} to the same
   * as {@code publish}.
   */
  public static List<SfuGrantRule> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("SFU grant rules are not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("SFU grant rules must be a JSON array of {room, publish?, subscribe?, publishData?, record?}");
    }
    List<SfuGrantRule> rules = new ArrayList<>();
    for (JsonNode node : root) {
      JsonNode room = node.get("room");
      if (room == null || !room.isTextual() || room.textValue().isEmpty()) {
        throw new IllegalArgumentException("each SFU grant rule needs a \"room\" pattern: " + node);
      }
      Optional<Map<String, String>> publish = grant(node, "publish", EVERYONE);
      rules.add(new SfuGrantRule(room.textValue(), publish, grant(node, "subscribe", EVERYONE),
          grant(node, "publishData", publish), grant(node, "record", publish)));
    }
    return List.copyOf(rules);
  }

  private static Optional<Map<String, String>> grant(JsonNode rule, String name, Optional<Map<String, String>> absent) {
    JsonNode node = rule.get(name);
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
    throw new IllegalArgumentException(name + " is true, false or {claim: value}: " + rule);
  }
}
