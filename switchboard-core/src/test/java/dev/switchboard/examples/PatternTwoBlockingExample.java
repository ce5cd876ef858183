package dev.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.CorsOptions;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * The README's blocking translation of the pattern guide's "WebSocket with Rooms" server: the
 * handlers run on virtual threads and call plain JDBC. The tables live in {@code schema}.
 */
public final class PatternTwoBlockingExample {
  public record User(String id, String name) {}

  public record DocumentChange(String documentId, JsonNode patch) {}

  final SocketIoServer io;
  final Users users;
  final Documents documents;

  public PatternTwoBlockingExample(String appUrl, String jdbcUrl) {
    users = new Users(jdbcUrl);
    documents = new Documents(jdbcUrl);
    io = SocketIoServer.create(SocketIoOptions.builder()
        .engine(EngineIoOptions.builder()
            .path("/socket.io/")
            .cors(CorsOptions.allow(appUrl))
            .build())
        .virtualThreadHandlers()                                      // handlers may block
        .build());

    // Auth middleware
    io.use((socket, next) -> {
      String token = socket.handshake().authField("token").orElse("");
      Optional<User> user = users.byToken(token);                     // blocking JDBC
      if (user.isEmpty()) { next.fail("Unauthorized"); return; }
      socket.data().put("user", user.get());
      next.proceed();
    });

    io.on("connection", socket -> {
      User user = (User) socket.data().get("user");

      // Join user's personal room
      socket.join("user:" + user.id());

      // Join document room for collaboration
      socket.on("join:document", event -> {
        String documentId = event.arg(0, String.class);
        if (!documents.hasAccess(user.id(), documentId)) {             // blocking JDBC
          socket.emit("error", Map.of("code", "FORBIDDEN"));
          return;
        }
        socket.join("document:" + documentId);
        // Broadcast presence to room
        socket.to("document:" + documentId).emit("user:joined", Map.of("userId", user.id(), "name", user.name()));
      });

      socket.on("document:change", event -> {
        DocumentChange change = event.arg(0, DocumentChange.class);
        // Validate access before broadcasting
        if (!socket.rooms().contains("document:" + change.documentId())) return;
        // Broadcast to others in room (not sender)
        socket.to("document:" + change.documentId())
            .emit("document:change", Map.of("patch", change.patch(), "userId", user.id()));
        documents.applyPatch(change.documentId(), change.patch());    // blocking JDBC
      });

      // Rooms are still joined while "disconnecting" runs (by "disconnect" they are gone)
      socket.onDisconnecting((reason, description) -> {
        for (String room : socket.rooms()) {
          if (room.startsWith("document:")) socket.to(room).emit("user:left", Map.of("userId", user.id()));
        }
      });
    });
  }

  /** Users by their token, in table {@code users(token, id, name)}. */
  record Users(String jdbcUrl) {
    Optional<User> byToken(String token) {
      try (Connection db = DriverManager.getConnection(jdbcUrl);
           PreparedStatement query = db.prepareStatement("select id, name from users where token = ?")) {
        query.setString(1, token);
        try (ResultSet row = query.executeQuery()) {
          return row.next() ? Optional.of(new User(row.getString(1), row.getString(2))) : Optional.empty();
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Who may open which document ({@code document_access}), and the patches applied ({@code patches}). */
  record Documents(String jdbcUrl) {
    boolean hasAccess(String userId, String documentId) {
      try (Connection db = DriverManager.getConnection(jdbcUrl);
           PreparedStatement query = db.prepareStatement(
               "select 1 from document_access where user_id = ? and document_id = ?")) {
        query.setString(1, userId);
        query.setString(2, documentId);
        try (ResultSet row = query.executeQuery()) {
          return row.next();
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    void applyPatch(String documentId, JsonNode patch) {
      try (Connection db = DriverManager.getConnection(jdbcUrl);
           PreparedStatement insert = db.prepareStatement("insert into patches (document_id, patch) values (?, ?)")) {
        insert.setString(1, documentId);
        insert.setString(2, patch.toString());
        insert.executeUpdate();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
