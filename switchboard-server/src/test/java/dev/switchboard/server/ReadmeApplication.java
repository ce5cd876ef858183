package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.RoomAction;
import dev.switchboard.auth.RoomDecision;
import dev.switchboard.socketio.SocketIoServer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What README's Java snippets take from the application around them (its logger, its own
 * services and types): every snippet is compiled as a subclass of this, so only these names may
 * be left undeclared, and everything of Switchboard a snippet uses must be imported in README.
 */
public abstract class ReadmeApplication {
  protected final Logger log = LoggerFactory.getLogger(ReadmeApplication.class);
  /** The server of a snippet that adds to one shown before. */
  protected SocketIoServer io;
  protected String appUrl = "https://app.example.com";
  protected String userId = "ada";
  protected PubSub pubsub;

  /** The application's own message bus. */
  public interface PubSub {
    Runnable subscribe(String channel, Consumer<Object> listener);
  }

  public record User(String id, String name) {}

  public record DocumentChange(String documentId, JsonNode patch) {}

  protected String toJson(Object value) {
    return String.valueOf(value);
  }

  protected CompletableFuture<User> verifyToken(String token) {
    return CompletableFuture.completedFuture(new User(token, token));
  }

  protected CompletableFuture<Boolean> checkDocumentAccess(String userId, String documentId) {
    return CompletableFuture.completedFuture(true);
  }

  protected CompletableFuture<Void> applyPatch(String documentId, JsonNode patch) {
    return CompletableFuture.completedFuture(null);
  }

  /** The application's users, read with blocking calls (JDBC, say). */
  protected Users users;
  /** The application's documents, read and written with blocking calls. */
  protected Documents documents;
  /** The application's orders, written with blocking calls. */
  protected Orders orders;

  public interface Users {
    Optional<User> byToken(String token);
  }

  public interface Documents {
    boolean hasAccess(String userId, String documentId);

    void applyPatch(String documentId, JsonNode patch);
  }

  public record Order(String id) {}

  public interface Orders {
    void insert(Order order);
  }

  protected CompletableFuture<RoomDecision> checkAccess(String subject, String room, RoomAction action) {
    return CompletableFuture.completedFuture(RoomDecision.ALLOW);
  }
}
