package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One operation of the server API: runs with its parameters (a JSON object) and completes with
 * its answer, or fails with an {@link ApiError}. Never blocks: what waits for Redis or other
 * nodes completes later.
 */
@FunctionalInterface
interface Operation {
  CompletableFuture<Map<String, Object>> run(JsonNode params);
}
