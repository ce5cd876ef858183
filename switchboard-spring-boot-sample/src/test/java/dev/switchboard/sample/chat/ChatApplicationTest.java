package dev.switchboard.sample.chat;

import static dev.switchboard.sample.chat.ChatClients.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spring.server.SwitchboardServer;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The chat through the official Java client: tokens, rooms, answers and errors. */
@SpringBootTest(properties = {"switchboard.host=127.0.0.1", "switchboard.port=0", "chat.jwt-secret=" + ChatClients.SECRET,
    "spring.datasource.url=jdbc:h2:mem:chat-test;DB_CLOSE_DELAY=-1"})
class ChatApplicationTest {
  @Autowired
  SwitchboardServer server;

  private ChatClients clients;

  @BeforeEach
  void clients() {
    clients = new ChatClients(server.port());
  }

  @AfterEach
  void close() {
    clients.close();
  }

  private static JSONObject json(String key, Object value) throws Exception {
    return new JSONObject().put(key, value);
  }

  @Test
  void membersOfARoomGetItsMessagesAndItsHistory() throws Exception {
    Socket ada = clients.connect("ada");
    Socket bob = clients.connect("bob");
    assertThat(call(ada, "join", json("room", "general")).getJSONArray("recent").length()).isZero();
    call(bob, "join", json("room", "general"));
    CompletableFuture<JSONObject> received = new CompletableFuture<>();
    bob.once("message", args -> received.complete((JSONObject) args[0]));

    JSONObject sent = call(ada, "send", json("room", "general").put("text", "hello"));
    assertThat(sent.getBoolean("ok")).isTrue();
    JSONObject message = received.orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(message.getLong("id")).isEqualTo(sent.getLong("id"));
    assertThat(message.getString("author")).isEqualTo("ada");
    assertThat(message.getString("text")).isEqualTo("hello");

    Socket cy = clients.connect("cy");
    JSONObject joined = call(cy, "join", json("room", "general"));
    assertThat(joined.getJSONArray("recent").getJSONObject(0).getString("text")).isEqualTo("hello");
  }

  @Test
  void anInvalidRequestIsAnsweredWithItsDetails() throws Exception {
    Socket ada = clients.connect("ada");
    JSONObject error = call(ada, "join", json("room", "Not A Room!")).getJSONObject("error");
    assertThat(error.getString("code")).isEqualTo("INVALID_REQUEST");
    assertThat(error.getJSONArray("details").getJSONObject(0).getString("field")).isEqualTo("room");
    assertThat(error.getJSONArray("details").getJSONObject(0).getString("message")).contains("a-z");

    JSONObject tooLong = call(ada, "send", json("room", "general").put("text", "x".repeat(501))).getJSONObject("error");
    assertThat(tooLong.getString("code")).isEqualTo("INVALID_REQUEST");
    assertThat(tooLong.getJSONArray("details").getJSONObject(0).getString("field")).isEqualTo("text");
  }

  @Test
  void aHandlersExceptionIsAnsweredAsAnErrorAndTheSocketStaysConnected() throws Exception {
    Socket ada = clients.connect("ada");
    JSONObject notInRoom = call(ada, "send", json("room", "quiet").put("text", "anyone?")).getJSONObject("error");
    assertThat(notInRoom.getString("code")).isEqualTo("NOT_IN_ROOM");
    JSONObject missing = call(ada, "edit", json("id", 999_999).put("text", "changed")).getJSONObject("error");
    assertThat(missing.getString("code")).isEqualTo("NOT_FOUND");

    assertThat(ada.connected()).isTrue();
    call(ada, "join", json("room", "quiet"));
    long id = call(ada, "send", json("room", "quiet").put("text", "anyone?")).getLong("id");
    Socket bob = clients.connect("bob");
    assertThat(call(bob, "edit", json("id", id).put("text", "mine now")).getJSONObject("error").getString("code"))
        .isEqualTo("FORBIDDEN");
    assertThat(call(ada, "edit", json("id", id).put("text", "still here?")).getBoolean("ok")).isTrue();
  }

  @Test
  void badTokensAreRefusedAtTheHandshake() throws Exception {
    assertThat(clients.refusal(ChatClients.token("eve", Duration.ofMinutes(5), "a-secret-the-chat-does-not-know-at-all"))
        .getJSONObject("data").getString("code")).isEqualTo("TOKEN_INVALID");
    assertThat(clients.refusal(ChatClients.token("eve", Duration.ofMinutes(-5), ChatClients.SECRET))
        .getJSONObject("data").getString("code")).isEqualTo("TOKEN_EXPIRED");
    assertThat(clients.refusal("").getJSONObject("data").getString("code")).isEqualTo("AUTH_REQUIRED");
  }
}
