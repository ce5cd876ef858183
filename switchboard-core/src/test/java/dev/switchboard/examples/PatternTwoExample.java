package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.http.CorsOptions;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pattern guide's "WebSocket with Rooms" server, translated line by line as shown in the
 * README. The application services are tiny in-memory stand-ins.
 */
public final class PatternTwoExample {
  public record User(String id, String name) {}

  public record DocumentChange(String documentId, JsonNode patch) {}

  final Map<String, User> tokens = new ConcurrentHashMap<>();
  final Map<String, Set<String>> documentAccess = new ConcurrentHashMap<>();
  final Map<String, StringBuilder> appliedPatches = new ConcurrentHashMap<>();
  final SocketIoServer io;

  public PatternTwoExample(String appUrl) {
    io = SocketIoServer.create(SocketIoOptions.builder()
        .engine(EngineIoOptions.builder()
            .path("/socket.io/")
            .cors(CorsOptions.allow(appUrl))
            .build())
        .build());

    // Auth middleware
    io.use((socket, next) -> {
      String token = socket.handshake().authField("token").orElse("");
      verifyToken(token).whenComplete((user, error) -> {
        if (user == null) { next.fail("Unauthorized"); return; }
        socket.data().put("user", user);
        next.proceed();
      });
    });

    io.on("connection", socket -> {
      User user = (User) socket.data().get("user");

      // Join user's personal room
      socket.join("user:" + user.id());

      // Join document room for collaboration
      socket.on("join:document", event -> {
        String documentId = event.arg(0, String.class);
        checkDocumentAccess(user.id(), documentId).thenAccept(hasAccess -> {
          if (!hasAccess) { socket.emit("error", Map.of("code", "FORBIDDEN")); return; }
          socket.join("document:" + documentId);
          // Broadcast presence to room
          socket.to("document:" + documentId).emit("user:joined", Map.of("userId", user.id(), "name", user.name()));
        });
      });

      socket.on("document:change", event -> {
        DocumentChange change = event.arg(0, DocumentChange.class);
        // Validate access before broadcasting
        if (!socket.rooms().contains("document:" + change.documentId())) return;
        // Broadcast to others in room (not sender)
        socket.to("document:" + change.documentId())
            .emit("document:change", Map.of("patch", change.patch(), "userId", user.id()));
        applyPatch(change.documentId(), change.patch());
      });

      // Rooms are still joined while "disconnecting" runs (by "disconnect" they are gone)
      socket.onDisconnecting((reason, description) -> {
        for (String room : socket.rooms()) {
          if (room.startsWith("document:")) socket.to(room).emit("user:left", Map.of("userId", user.id()));
        }
      });
    });
  }

  // Send to specific user from anywhere in the codebase
  void notifyUser(String userId, String event, Object data) {
    io.to("user:" + userId).emit(event, data);
  }

  CompletableFuture<User> verifyToken(String token) {
    return CompletableFuture.supplyAsync(() -> tokens.get(token));
  }

  CompletableFuture<Boolean> checkDocumentAccess(String userId, String documentId) {
    return CompletableFuture.supplyAsync(() -> documentAccess.getOrDefault(userId, Set.of()).contains(documentId));
  }

  void applyPatch(String documentId, JsonNode patch) {
    appliedPatches.computeIfAbsent(documentId, d -> new StringBuilder()).append(patch.toString());
  }
}
