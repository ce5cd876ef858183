package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.rooms.Rooms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations of the server API by name, and the two that speak of the whole cluster:
 * {@code rooms {pattern?}} and {@code info}; {@code batch} runs others in order.
 */
final class Operations {
  private static final Logger log = LoggerFactory.getLogger(Operations.class);
  /** Most commands one batch holds. */
  static final int MAX_BATCH = 100;
  /** Most rooms one {@code rooms} answer lists (by name); more are left out and the answer says so. */
  static final int MAX_ROOMS_LISTED = 10_000;

  private final Map<String, Operation> byName = new LinkedHashMap<>();
  private final NodeReports reports;
  private final String version;
  private final Optional<RedisPublishChannel> channel;

  Operations(PublishOperations publishing, MembershipOperations membership, RoomOperations rooms, NodeReports reports,
      String version, Optional<RedisPublishChannel> channel) {
    this.reports = reports;
    this.version = version;
    this.channel = channel;
    byName.put("publish", publishing::publish);
    byName.put("broadcast", publishing::broadcast);
    byName.put("batch", this::batch);
    byName.put("disconnect", membership::disconnect);
    byName.put("join", membership::join);
    byName.put("leave", membership::leave);
    byName.put("presence", rooms::presence);
    byName.put("presence_stats", rooms::presenceStats);
    byName.put("history", rooms::history);
    byName.put("history_remove", rooms::historyRemove);
    byName.put("rooms", this::rooms);
    byName.put("info", this::info);
  }

  /** The names of the operations, in the order they are documented. */
  List<String> names() {
    return List.copyOf(byName.keySet());
  }

  Optional<Operation> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Runs {@code operation}; a failure, thrown or completed, ends the future with it. */
  static CompletableFuture<Map<String, Object>> run(Operation operation, JsonNode params) {
    try {
      return operation.run(params);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** What a failure answers: an {@link ApiError} as it is; anything else is logged once and answers 500 INTERNAL. */
  static ApiError asApiError(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiError error) {
      return error;
    }
    log.warn("a server API operation failed", cause);
    return new ApiError(500, "INTERNAL", "the server failed to run the operation; try again");
  }

  /**
   * {@code batch {commands: [{operation, params}]}}: runs the commands one after the other, each
   * once the previous one is done, and answers each in {@code replies}, in order; one failing does
   * not stop the next.
   */
  private CompletableFuture<Map<String, Object>> batch(JsonNode json) {
    JsonNode commands = Params.of(json).any("commands");
    if (!commands.isArray() || commands.isEmpty() || commands.size() > MAX_BATCH) {
      throw ApiError.invalid("commands must be an array of 1 to " + MAX_BATCH + " {operation, params}");
    }
    List<Supplier<CompletableFuture<Map<String, Object>>>> steps = new ArrayList<>();
    for (JsonNode command : commands) {
      steps.add(() -> command(command));
    }
    List<Map<String, Object>> replies = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (Supplier<CompletableFuture<Map<String, Object>>> step : steps) {
      chain = chain.thenCompose(previous -> step.get().handle((answer, failure) -> {
        replies.add(failure == null ? answer : ApiJson.error(asApiError(failure)));
        return null;
      }));
    }
    return chain.thenApply(done -> ApiJson.ok(Map.of("replies", List.copyOf(replies))));
  }

  private CompletableFuture<Map<String, Object>> command(JsonNode command) {
    JsonNode name = command.path("operation");
    if (!name.isTextual()) {
      return CompletableFuture.failedFuture(ApiError.invalid("each command is {operation, params}"));
    }
    if (name.textValue().equals("batch")) {
      return CompletableFuture.failedFuture(ApiError.invalid("a batch may not hold a batch"));
    }
    Optional<Operation> operation = find(name.textValue());
    if (operation.isEmpty()) {
      return CompletableFuture.failedFuture(new ApiError(404, "UNKNOWN_OPERATION", "no operation \"" + name.textValue() + "\""));
    }
    JsonNode params = command.has("params") ? command.get("params") : ApiJson.MAPPER.createObjectNode();
    return run(operation.get(), params);
  }

  /** {@code rooms {pattern?}}: rooms with members on any node, by name, with their members on all nodes. */
  private CompletableFuture<Map<String, Object>> rooms(JsonNode json) {
    Params params = Params.of(json);
    Optional<Pattern> pattern = params.optionalString("pattern", 200).map(Rooms::pattern);
    return reports.rooms().thenApply(found -> {
      List<Map<String, Object>> rooms = found.sizes().entrySet().stream()
          .filter(room -> pattern.isEmpty() || pattern.get().matcher(room.getKey()).matches())
          .sorted(Map.Entry.comparingByKey())
          .limit(MAX_ROOMS_LISTED + 1L)
          .map(room -> {
            Map<String, Object> size = new LinkedHashMap<>();
            size.put("room", room.getKey());
            size.put("members", room.getValue());
            return size;
          })
          .toList();
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("rooms", rooms.size() > MAX_ROOMS_LISTED ? rooms.subList(0, MAX_ROOMS_LISTED) : rooms);
      answer.put("nodes", found.nodes());
      if (rooms.size() > MAX_ROOMS_LISTED) {
        answer.put("truncated", true);
      }
      if (found.partial()) {
        answer.put("partial", true);
      }
      return ApiJson.ok(answer);
    });
  }

  /** {@code info}: the version, and each node's connections per transport and uptime, with their totals. */
  private CompletableFuture<Map<String, Object>> info(JsonNode json) {
    Params.of(json);
    return reports.nodes().thenApply(found -> {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("version", version);
      answer.put("node", found.nodes().get(0).node());
      answer.put("nodes", found.nodes().stream().map(NodeReports.Node::json).toList());
      answer.put("connections", Map.of(
          "websocket", found.nodes().stream().mapToInt(NodeReports.Node::websocket).sum(),
          "polling", found.nodes().stream().mapToInt(NodeReports.Node::polling).sum(),
          "sse", found.nodes().stream().mapToInt(NodeReports.Node::sse).sum()));
      channel.ifPresent(c -> answer.put("publishChannel", Map.of("channel", c.channel(), "delivered", c.delivered(),
          "malformed", c.malformed())));
      if (found.partial()) {
        answer.put("partial", true);
      }
      return ApiJson.ok(answer);
    });
  }
}
