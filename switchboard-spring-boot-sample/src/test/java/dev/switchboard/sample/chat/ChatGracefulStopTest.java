package dev.switchboard.sample.chat;

import static dev.switchboard.sample.chat.ChatClients.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.spring.server.SwitchboardServer;
import io.socket.client.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the application drains Switchboard first: clients are disconnected by the server over
 * the drain window while the database is still there, so the disconnect handlers' writes land.
 */
class ChatGracefulStopTest {
  private static final String DATABASE = "jdbc:h2:mem:chat-stop;DB_CLOSE_DELAY=-1";

  @Test
  void closingTheContextDrainsTheClientsBeforeTheDatabaseGoes() throws Exception {
    ConfigurableApplicationContext context = new SpringApplicationBuilder(ChatApplication.class).run(
        "--switchboard.host=127.0.0.1", "--switchboard.port=0", "--switchboard.drain-window=1s",
        "--switchboard.drain-timeout=5s", "--chat.jwt-secret=" + ChatClients.SECRET, "--spring.datasource.url=" + DATABASE);
    SwitchboardServer server = context.getBean(SwitchboardServer.class);
    // Over polling: the Java client notices a WebSocket close frame only by its ping timeout.
    try (ChatClients clients = new ChatClients(server.port(), "polling")) {
      List<CompletableFuture<String>> disconnects = new ArrayList<>();
      for (String user : List.of("ada", "bob", "cy")) {
        Socket socket = clients.connect(user);
        call(socket, "join", new JSONObject().put("room", "general"));
        CompletableFuture<String> disconnected = new CompletableFuture<>();
        socket.once(Socket.EVENT_DISCONNECT, args -> disconnected.complete(String.valueOf(args[0])));
        disconnects.add(disconnected);
      }
      CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
      await().atMost(Duration.ofSeconds(5)).until(() -> server.io().draining());
      // Refused at the Engine.IO handshake (503 DRAINING), so the client tries another node.
      assertThat(clients.connectError(ChatClients.token("dan"))).as("a newcomer during the drain").isInstanceOf(Exception.class);
      assertThat(disconnects).as("the members leave at their turns, over the window").anyMatch(left -> !left.isDone());
      closed.get(10, TimeUnit.SECONDS);
      assertThat(server.isRunning()).isFalse();
      for (CompletableFuture<String> disconnected : disconnects) {
        assertThat(disconnected.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo("transport close");
      }
    }
    try (Connection db = DriverManager.getConnection(DATABASE, "sa", "");
        ResultSet visits = db.createStatement().executeQuery("SELECT author, end_reason FROM visit ORDER BY author")) {
      List<String> ended = new ArrayList<>();
      while (visits.next()) {
        ended.add(visits.getString(1) + ":" + visits.getString(2));
      }
      assertThat(ended).containsExactly("ada:server shutting down", "bob:server shutting down", "cy:server shutting down");
    }
  }
}
