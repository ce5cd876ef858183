package dev.switchboard.server.webhooks;

import dev.switchboard.rooms.Rooms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which events an endpoint gets: a comma-separated list of items, each an event type
 * ({@code disconnect}), a group ({@code room.*}, {@code presence.*}) or {@code *} (every type but
 * {@code publish}), optionally followed by {@code @} and a room pattern for the events about a
 * room ({@code presence.*@doc:*}, {@code publish@orders:*}). {@code publish} is never included by
 * {@code *} or a group: an endpoint gets a room's publishes only when an item names {@code publish}.
 */
public final class EventFilter {
  /** The filter of endpoints that name none: connections, rooms and presence, no publishes. */
  public static final String DEFAULT = "connect,disconnect,room.*,presence.*";

  private record Item(List<WebhookEventType> types, Optional<Pattern> rooms) {}

  private final String text;
  private final List<Item> items;

  private EventFilter(String text, List<Item> items) {
    this.text = text;
    this.items = items;
  }

  /**
   * Parses a filter; fails with {@link IllegalArgumentException} naming the item that is not an
   * event type, a group or {@code *}, or that gives a room pattern to an event not about a room.
   */
  public static EventFilter parse(String text) {
    List<Item> items = new ArrayList<>();
    for (String raw : text.split(",")) {
      String item = raw.trim();
      if (item.isEmpty()) {
        continue;
      }
      int at = item.indexOf('@');
      String name = at < 0 ? item : item.substring(0, at).trim();
      Optional<Pattern> rooms = Optional.empty();
      List<WebhookEventType> types = types(name);
      if (at >= 0) {
        String pattern = item.substring(at + 1).trim();
        if (pattern.isEmpty()) {
          throw new IllegalArgumentException("'" + item + "' has no room pattern after '@'");
        }
        if (types.stream().noneMatch(WebhookEventType::inRoom)) {
          throw new IllegalArgumentException("'" + item + "': " + name + " is not about a room, so it takes no room pattern");
        }
        types = types.stream().filter(WebhookEventType::inRoom).toList();
        rooms = Optional.of(Rooms.pattern(pattern));
      }
      items.add(new Item(types, rooms));
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException("no event type given (use " + names() + ", room.*, presence.* or *)");
    }
    return new EventFilter(text.trim(), List.copyOf(items));
  }

  /** Whether an event of {@code type}, about {@code room} when it is about one, passes the filter. */
  public boolean matches(WebhookEventType type, Optional<String> room) {
    for (Item item : items) {
      if (item.types().contains(type)
          && (item.rooms().isEmpty() || room.map(name -> item.rooms().get().matcher(name).matches()).orElse(false))) {
        return true;
      }
    }
    return false;
  }

  /** Whether some event of {@code type} may pass (for some room). */
  public boolean mayMatch(WebhookEventType type) {
    return items.stream().anyMatch(item -> item.types().contains(type));
  }

  private static List<WebhookEventType> types(String name) {
    return switch (name) {
      case "*" -> Arrays.stream(WebhookEventType.values()).filter(type -> type != WebhookEventType.PUBLISH).toList();
      case "room.*" -> List.of(WebhookEventType.ROOM_OCCUPIED, WebhookEventType.ROOM_VACATED);
      case "presence.*" -> List.of(WebhookEventType.PRESENCE_JOIN, WebhookEventType.PRESENCE_LEAVE);
      default -> List.of(WebhookEventType.fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
          "'" + name + "' is not an event type (use " + names() + ", room.*, presence.* or *)")));
    };
  }

  private static String names() {
    return Arrays.stream(WebhookEventType.values()).map(WebhookEventType::wireName).collect(Collectors.joining(", "));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EventFilter filter && filter.text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text);
  }

  /** The filter as written. */
  @Override
  public String toString() {
    return text;
  }
}
