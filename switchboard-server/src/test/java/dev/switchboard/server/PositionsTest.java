package dev.switchboard.server;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testkit.SseReader;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A kept message's position, spelled {@code epoch:offset}, is the same in the publish answer, the
 * live event's {@code meta.position}, the SSE event id (after {@code room@}) and history; a client
 * resumes history and SSE from it (and from the older SSE spelling {@code epoch.offset}).
 */
class PositionsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private SwitchboardApp app;
  private final StandaloneClients clients = new StandaloneClients(() -> app.port());

  @AfterEach
  void stop() {
    clients.close();
    if (app != null) {
      app.close();
    }
  }

  private void start(String historyLength) {
    app = TestApps.start(Map.of("demo", "false", "history-max-length", historyLength));
  }

  @Test
  void aKeptMessageCarriesOnePositionToThePublisherMembersSseAndHistory() throws Exception {
    start("100");
    Socket alice = clients.connect();
    Socket bob = clients.connect();
    BlockingQueue<Object[]> bobInbox = inbox(bob, "chat");
    join(alice, "lobby");
    join(bob, "lobby");
    try (SseReader stream = SseReader.open(app.port(), "/sse?rooms=lobby")) {
      assertThat(stream.status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> app.io().localRoomSizes().join().getOrDefault("lobby", 0) == 3);

      List<String> positions = new ArrayList<>();
      for (int n = 1; n <= 3; n++) {
        JSONObject answer = publish(alice, "lobby", n);
        assertThat(answer.getBoolean("ok")).as(answer.toString()).isTrue();
        String position = answer.getString("position");
        assertThat(position).matches("[^:]+:" + n);
        positions.add(position);

        Object[] received = bobInbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(received).as("bob gets message %d", n).isNotNull();
        JSONObject meta = (JSONObject) received[1];
        assertThat(meta.getString("position")).isEqualTo(position);
        assertThat(meta.getString("room")).isEqualTo("lobby");
        assertThat(meta.getString("from")).isEqualTo(alice.id());

        SseReader.Event event = nextChat(stream);
        assertThat(event.data()).isEqualTo("{\"n\":" + n + "}");
        assertThat(event.id()).isEqualTo("lobby@" + position);
      }

      JSONObject all = call(bob, "history", new JSONObject().put("room", "lobby"));
      JSONArray messages = all.getJSONArray("messages");
      assertThat(messages.length()).isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        assertThat(messages.getJSONObject(i).getString("position")).isEqualTo(positions.get(i));
      }
      assertThat(all.getString("head")).isEqualTo(positions.get(2));

      // The position a client learned from meta is its `since`.
      JSONObject after = call(bob, "history", new JSONObject().put("room", "lobby").put("since", positions.get(0)));
      assertThat(after.getBoolean("gap")).isFalse();
      assertThat(numbers(after.getJSONArray("messages"))).containsExactly(2, 3);
      // The older SSE spelling epoch.offset is still read.
      JSONObject oldSpelling = call(bob, "history", new JSONObject().put("room", "lobby")
          .put("since", positions.get(0).replace(':', '.')));
      assertThat(oldSpelling.getBoolean("gap")).isFalse();
      assertThat(numbers(oldSpelling.getJSONArray("messages"))).containsExactly(2, 3);
    }
  }

  @Test
  void sseResumesFromAPositionInEitherSpelling() throws Exception {
    start("100");
    Socket alice = clients.connect();
    join(alice, "news");
    List<String> positions = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      positions.add(publish(alice, "news", n).getString("position"));
    }
    String first = positions.get(0);
    try (SseReader resumed = SseReader.open(app.port(), "/sse?rooms=news", Map.of("Last-Event-ID", "news@" + first))) {
      assertThat(List.of(nextChat(resumed), nextChat(resumed))).extracting(SseReader.Event::id)
          .containsExactly("news@" + positions.get(1), "news@" + positions.get(2));
    }
    try (SseReader resumed = SseReader.open(app.port(), "/sse?rooms=news",
        Map.of("Last-Event-ID", "news@" + first.replace(':', '.')))) {
      List<SseReader.Event> missed = resumed.next(2, WAIT);
      assertThat(missed).as("no gap notice first: the old spelling names the same position")
          .extracting(SseReader.Event::data).containsExactly("{\"n\":2}", "{\"n\":3}");
    }
  }

  @Test
  void withoutHistoryAPublishHasNoPosition() throws Exception {
    start("0");
    Socket alice = clients.connect();
    Socket bob = clients.connect();
    BlockingQueue<Object[]> bobInbox = inbox(bob, "chat");
    join(alice, "lobby");
    join(bob, "lobby");
    JSONObject answer = publish(alice, "lobby", 1);
    assertThat(answer.getBoolean("ok")).isTrue();
    assertThat(answer.has("position")).as(answer.toString()).isFalse();
    Object[] received = bobInbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(((JSONObject) received[1]).has("position")).isFalse();
  }

  @Test
  void aPublishWithAcknowledgementsIsNotKeptSoItHasNoPosition() throws Exception {
    start("100");
    Socket alice = clients.connect();
    Socket bob = clients.connect();
    bob.on("chat", args -> ((io.socket.client.Ack) args[args.length - 1]).call("seen"));
    join(alice, "lobby");
    join(bob, "lobby");
    JSONObject answer = call(alice, "room:publish", new JSONObject().put("room", "lobby").put("event", "chat")
        .put("data", new JSONObject().put("n", 1)).put("ack", 2000));
    assertThat(answer.getBoolean("ok")).as(answer.toString()).isTrue();
    assertThat(answer.getJSONArray("responses").getString(0)).isEqualTo("seen");
    assertThat(answer.has("position")).isFalse();
  }

  /** The next chat event of {@code stream}, past any presence notice. */
  private static SseReader.Event nextChat(SseReader stream) throws InterruptedException {
    SseReader.Event event = stream.next(WAIT);
    while (!"chat".equals(event.event())) {
      event = stream.next(WAIT);
    }
    return event;
  }

  private static JSONObject publish(Socket socket, String room, int n) throws Exception {
    return StandaloneClients.publish(socket, room, "chat", new JSONObject().put("n", n));
  }

  private static List<Integer> numbers(JSONArray messages) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < messages.length(); i++) {
      out.add(messages.getJSONObject(i).getJSONObject("data").getInt("n"));
    }
    return out;
  }
}
