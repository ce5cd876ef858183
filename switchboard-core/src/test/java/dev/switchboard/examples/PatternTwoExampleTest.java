package dev.switchboard.examples;

import static dev.switchboard.testkit.JavaClients.inbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.http.HttpServer;
import dev.switchboard.testkit.JavaClients;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's translation of the pattern guide's server works with the official Java client. */
class PatternTwoExampleTest {
  private PatternTwoExample app;
  private HttpServer http;
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    app = new PatternTwoExample("http://app.example");
    app.tokens.put("token-ada", new PatternTwoExample.User("ada", "Ada"));
    app.tokens.put("token-bob", new PatternTwoExample.User("bob", "Bob"));
    app.documentAccess.put("ada", Set.of("doc1"));
    app.documentAccess.put("bob", Set.of("doc1"));
    http = app.io.mountOn(HttpServer.builder().host("127.0.0.1").port(0)).build().start();
  }

  @AfterEach
  void stop() {
    clients.forEach(Socket::close);
    app.io.close();
    http.close();
  }

  @Test
  void authRoomsPresenceAndChangesWorkAsInTheGuide() throws Exception {
    Socket ada = connect("token-ada");
    Socket bob = connect("token-bob");
    BlockingQueue<Object[]> adaJoined = inbox(ada, "user:joined");
    BlockingQueue<Object[]> adaChanges = inbox(ada, "document:change");
    BlockingQueue<Object[]> bobChanges = inbox(bob, "document:change");
    BlockingQueue<Object[]> adaLeft = inbox(ada, "user:left");
    BlockingQueue<Object[]> adaErrors = inbox(ada, "error");

    ada.emit("join:document", "doc1");
    await().atMost(Duration.ofSeconds(5)).until(() -> app.io.in("document:doc1").fetchSockets().join().size() == 1);
    bob.emit("join:document", "doc1");
    JSONObject joined = (JSONObject) adaJoined.poll(5, TimeUnit.SECONDS)[0];
    assertThat(joined.getString("userId")).isEqualTo("bob");
    assertThat(joined.getString("name")).isEqualTo("Bob");

    bob.emit("document:change", new JSONObject().put("documentId", "doc1").put("patch", new JSONObject().put("op", "add")));
    JSONObject change = (JSONObject) adaChanges.poll(5, TimeUnit.SECONDS)[0];
    assertThat(change.getString("userId")).isEqualTo("bob");
    assertThat(change.getJSONObject("patch").getString("op")).isEqualTo("add");
    await().atMost(Duration.ofSeconds(5)).until(() -> app.appliedPatches.containsKey("doc1"));
    assertThat(bobChanges).isEmpty();

    ada.emit("join:document", "doc2");
    assertThat(((JSONObject) adaErrors.poll(5, TimeUnit.SECONDS)[0]).getString("code")).isEqualTo("FORBIDDEN");

    BlockingQueue<Object[]> bobNotes = inbox(bob, "notification");
    app.notifyUser("bob", "notification", Map.of("text", "hello"));
    assertThat(((JSONObject) bobNotes.poll(5, TimeUnit.SECONDS)[0]).getString("text")).isEqualTo("hello");

    bob.close();
    assertThat(((JSONObject) adaLeft.poll(5, TimeUnit.SECONDS)[0]).getString("userId")).isEqualTo("bob");
  }

  @Test
  void anUnknownTokenIsRefusedBeforeConnecting() throws Exception {
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
        .setAuth(Map.of("token", "forged")).build();
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + http.port()), options);
    clients.add(socket);
    CompletableFuture<Object> error = new CompletableFuture<>();
    socket.on(Socket.EVENT_CONNECT_ERROR, args -> error.complete(args[0]));
    socket.connect();
    assertThat(error.get(5, TimeUnit.SECONDS).toString()).contains("Unauthorized");
  }

  private Socket connect(String token) {
    IO.Options options = IO.Options.builder().setForceNew(true).setAuth(Map.of("token", token)).build();
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + http.port()), options);
    clients.add(socket);
    return JavaClients.connectNow(socket);
  }
}
