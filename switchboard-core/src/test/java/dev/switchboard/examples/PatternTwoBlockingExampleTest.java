package dev.switchboard.examples;

import static dev.switchboard.testkit.JavaClients.inbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.http.HttpServer;
import dev.switchboard.testkit.JavaClients;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's blocking translation of the pattern guide's server, its handlers calling JDBC on
 * virtual threads, against a real SQL database (H2 in memory in PostgreSQL mode: CI needs no
 * database server) and the official Java client.
 */
class PatternTwoBlockingExampleTest {
  /** A database of the test's own: H2 in memory, speaking PostgreSQL's dialect. */
  private final String database = "jdbc:h2:mem:pattern_two_" + UUID.randomUUID().toString().replace("-", "")
      + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
  private PatternTwoBlockingExample app;
  private HttpServer http;
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void start() throws SQLException {
    try (Connection db = DriverManager.getConnection(database); Statement sql = db.createStatement()) {
      sql.execute("create table users (token text primary key, id text not null, name text not null)");
      sql.execute("create table document_access (user_id text, document_id text, primary key (user_id, document_id))");
      sql.execute("create table patches (seq serial primary key, document_id text not null, patch text not null)");
      sql.execute("insert into users values ('token-ada', 'ada', 'Ada'), ('token-bob', 'bob', 'Bob')");
      sql.execute("insert into document_access values ('ada', 'doc1'), ('bob', 'doc1')");
    }
    app = new PatternTwoBlockingExample("http://app.example", database);
    http = app.io.mountOn(HttpServer.builder().host("127.0.0.1").port(0)).build().start();
  }

  @AfterEach
  void stop() throws SQLException {
    clients.forEach(Socket::close);
    if (app != null) {
      app.io.close();
    }
    if (http != null) {
      http.close();
    }
    try (Connection db = DriverManager.getConnection(database); Statement sql = db.createStatement()) {
      sql.execute("shutdown");
    }
  }

  @Test
  void authRoomsPresenceAndChangesWorkWithBlockingJdbcHandlers() throws Exception {
    Socket ada = connect("token-ada");
    Socket bob = connect("token-bob");
    BlockingQueue<Object[]> adaJoined = inbox(ada, "user:joined");
    BlockingQueue<Object[]> adaChanges = inbox(ada, "document:change");
    BlockingQueue<Object[]> bobChanges = inbox(bob, "document:change");
    BlockingQueue<Object[]> adaLeft = inbox(ada, "user:left");
    BlockingQueue<Object[]> adaErrors = inbox(ada, "error");

    ada.emit("join:document", "doc1");
    await().atMost(Duration.ofSeconds(5)).until(() -> app.io.in("document:doc1").fetchSockets().join().size() == 1);
    // Bob joins and changes at once: his change is handled after his join, which it needs.
    bob.emit("join:document", "doc1");
    for (int i = 0; i < 20; i++) {
      bob.emit("document:change", new JSONObject().put("documentId", "doc1").put("patch", new JSONObject().put("n", i)));
    }
    JSONObject joined = (JSONObject) adaJoined.poll(5, TimeUnit.SECONDS)[0];
    assertThat(joined.getString("userId")).isEqualTo("bob");
    assertThat(joined.getString("name")).isEqualTo("Bob");
    for (int i = 0; i < 20; i++) {
      JSONObject change = (JSONObject) adaChanges.poll(5, TimeUnit.SECONDS)[0];
      assertThat(change.getString("userId")).isEqualTo("bob");
      assertThat(change.getJSONObject("patch").getInt("n")).isEqualTo(i);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> patches().size() == 20);
    assertThat(patches()).as("stored in the order sent").containsExactly(
        java.util.stream.IntStream.range(0, 20).mapToObj(i -> "{\"n\":" + i + "}").toArray(String[]::new));
    assertThat(bobChanges).isEmpty();

    ada.emit("join:document", "doc2");
    assertThat(((JSONObject) adaErrors.poll(5, TimeUnit.SECONDS)[0]).getString("code")).isEqualTo("FORBIDDEN");

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

  private List<String> patches() throws SQLException {
    List<String> patches = new ArrayList<>();
    try (Connection db = DriverManager.getConnection(database); Statement sql = db.createStatement();
         ResultSet rows = sql.executeQuery("select patch from patches where document_id = 'doc1' order by seq")) {
      while (rows.next()) {
        patches.add(rows.getString(1));
      }
    }
    return patches;
  }

  private Socket connect(String token) {
    IO.Options options = IO.Options.builder().setForceNew(true).setAuth(Map.of("token", token)).build();
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + http.port()), options);
    clients.add(socket);
    return JavaClients.connectNow(socket);
  }
}
