package dev.switchboard.server.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.SseReader;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import static dev.switchboard.server.sse.RoomClient.obj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SSE streams of rooms on the standalone server ({@code GET /sse?rooms=a,b}), read over plain
 * sockets, fed by the official Socket.IO client's {@code room:publish}.
 */
@Timeout(30)
class SseRoomsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Pattern ID = Pattern.compile("([^,@]+)@([^:,]+):(\\d+)");

  private static final ObjectMapper JSON = new ObjectMapper();

  private SwitchboardApp app;
  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : closeLater) {
      closeable.close();
    }
    if (app != null) {
      app.close();
    }
  }

  private void start(String... settings) {
    ConfigValues values = TestApps.values(Map.of());
    for (int i = 0; i < settings.length; i += 2) {
      values.set(settings[i], settings[i + 1], "test");
    }
    app = SwitchboardApp.start(ServerConfig.from(values));
  }

  private SseReader stream(String rooms, Map<String, String> headers) throws IOException {
    SseReader reader = SseReader.open(app.port(), "/sse?rooms=" + URLEncoder.encode(rooms, StandardCharsets.UTF_8), headers);
    closeLater.add(reader);
    return reader;
  }

  private SseReader stream(String rooms) throws IOException {
    SseReader reader = stream(rooms, Map.of());
    assertThat(reader.status()).as("stream opened: %s", reader.body().orElse("")).isEqualTo(200);
    return reader;
  }

  private RoomClient client() {
    RoomClient client = RoomClient.connect(app.port());
    closeLater.add(client);
    return client;
  }

  private Map<String, Integer> roomSizes() throws Exception {
    return app.io().localRoomSizes().get(5, TimeUnit.SECONDS);
  }

  private void awaitMembers(String room, int members) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(roomSizes().getOrDefault(room, 0)).as("members of %s", room).isEqualTo(members));
  }

  private static JsonNode json(SseReader.Event event) {
    try {
      return JSON.readTree(event.data());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + event.data(), e);
    }
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  /** The offset of {@code room}'s cursor in an event id. */
  private static long offset(String id, String room) {
    Matcher matcher = ID.matcher(id);
    while (matcher.find()) {
      if (matcher.group(1).equals(room)) {
        return Long.parseLong(matcher.group(3));
      }
    }
    throw new AssertionError("no cursor for " + room + " in id " + id);
  }

  private static String epoch(String id, String room) {
    Matcher matcher = ID.matcher(id);
    while (matcher.find()) {
      if (matcher.group(1).equals(room)) {
        return matcher.group(2);
      }
    }
    throw new AssertionError("no cursor for " + room + " in id " + id);
  }

  private static List<Integer> numbers(List<SseReader.Event> events) {
    return events.stream().map(e -> json(e).get("n").asInt()).toList();
  }

  @Test
  void streamsGetTheRoomsPresenceEventsWithoutAnIdUnlessTheyAreOff() throws Exception {
    start();
    SseReader stream = stream("doc");
    RoomClient member = client().join("doc");
    SseReader.Event joined = stream.next(WAIT);
    assertThat(joined.event()).isEqualTo("presence:join");
    assertThat(json(joined.data()).get("room").asText()).isEqualTo("doc");
    assertThat(json(joined.data()).get("member").get("id").asText()).isEqualTo(member.id());
    // Not kept for resuming: the event carries no id, and the stream's position stays where it was.
    assertThat(joined.id()).isEmpty();
    app.close();

    start("presence-events", "false");
    SseReader quiet = stream("doc");
    RoomClient publisher = client().join("doc");
    publisher.publish("doc", "chat", obj("text", "hi"));
    assertThat(quiet.next(WAIT).event()).isEqualTo("chat");
  }

  @Test
  void aSocketsPublishReachesEveryStreamOfTheRoomWithIdEventAndData() throws Exception {
    start();
    RoomClient alice = client().join("lobby").join("elsewhere");
    RoomClient bob = client().join("lobby");
    SseReader alicesStream = stream("lobby");
    SseReader both = stream("lobby,elsewhere");
    SseReader other = stream("elsewhere");
    assertThat(alicesStream.header("content-type").orElseThrow()).isEqualTo("text/event-stream; charset=utf-8");
    assertThat(alicesStream.header("x-accel-buffering").orElseThrow()).isEqualTo("no");
    assertThat(alicesStream.header("cache-control").orElseThrow()).isEqualTo("no-cache");
    awaitMembers("lobby", 4);
    awaitMembers("elsewhere", 3);
    BlockingQueue<Object[]> aliceInbox = new LinkedBlockingQueue<>();
    BlockingQueue<Object[]> bobInbox = new LinkedBlockingQueue<>();
    alice.socket().on("chat", aliceInbox::add);
    bob.socket().on("chat", bobInbox::add);

    alice.publish("lobby", "chat", obj("text", "hi \"there\"\nsecond line"));

    // The sender's socket is skipped, but a stream is not the sender: every stream of the room gets it.
    for (SseReader reader : List.of(alicesStream, both)) {
      SseReader.Event event = reader.next(WAIT);
      assertThat(event.event()).isEqualTo("chat");
      assertThat(json(event).get("text").asText()).isEqualTo("hi \"there\"\nsecond line");
      assertThat(offset(event.id(), "lobby")).isEqualTo(1);
    }
    assertThat(both.lastEventId()).as("the id holds a cursor per followed room").contains("lobby@").contains("elsewhere@");
    assertThat(offset(both.lastEventId(), "elsewhere")).isZero();
    assertThat(alicesStream.retryMillis().orElseThrow()).as("retry: hint sent first").isPositive();
    Object[] atBob = bobInbox.poll(5, TimeUnit.SECONDS);
    assertThat(atBob).isNotNull();
    assertThat(((JSONObject) atBob[1]).optString("from")).isEqualTo(alice.id());

    alice.publish("elsewhere", "note", obj("n", 2));
    // The stream of "elsewhere" only sees the second publish first: the first never reached it.
    SseReader.Event atOther = other.next(WAIT);
    assertThat(atOther.event()).isEqualTo("note");
    assertThat(atOther.id()).matches("elsewhere@[^:,]+:1");
    SseReader.Event atBoth = both.next(WAIT);
    assertThat(atBoth.event()).isEqualTo("note");
    assertThat(offset(atBoth.id(), "lobby")).isEqualTo(1);
    assertThat(offset(atBoth.id(), "elsewhere")).isEqualTo(1);
    assertThat(aliceInbox).as("the sender's socket does not get its own publish").isEmpty();
    assertThat(alicesStream.drain()).isEmpty();
  }

  @Test
  void resumeWithLastEventIdReplaysExactlyTheMissedMessagesInOrderOnce() throws Exception {
    start();
    RoomClient publisher = client().join("news");
    SseReader before = stream("news");
    awaitMembers("news", 2);
    publisher.publish("news", "item", obj("n", 1));
    publisher.publish("news", "item", obj("n", 2));
    assertThat(numbers(before.next(2, WAIT))).containsExactly(1, 2);
    String lastId = before.lastEventId();
    before.close();
    awaitMembers("news", 1);

    for (int n = 3; n <= 7; n++) {
      publisher.publish("news", "item", obj("n", n));
    }
    SseReader resumed = stream("news", Map.of("Last-Event-ID", lastId));
    assertThat(resumed.status()).isEqualTo(200);
    List<SseReader.Event> replayed = resumed.next(5, WAIT);
    assertThat(numbers(replayed)).containsExactly(3, 4, 5, 6, 7);
    assertThat(replayed).extracting(e -> offset(e.id(), "news")).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(replayed).extracting(SseReader.Event::event).containsOnly("item");

    // Live again: the next message follows at once, nothing replayed comes a second time.
    publisher.publish("news", "item", obj("n", 8));
    SseReader.Event live = resumed.next(WAIT);
    assertThat(json(live).get("n").asInt()).isEqualTo(8);
    assertThat(offset(live.id(), "news")).isEqualTo(8);
    assertThat(resumed.drain()).isEmpty();

    // The lastEventId query parameter resumes the same way (a first load that knows where it was).
    SseReader fromQuery = SseReader.open(app.port(), "/sse?rooms=news&lastEventId="
        + URLEncoder.encode(replayed.get(2).id(), StandardCharsets.UTF_8));
    closeLater.add(fromQuery);
    assertThat(numbers(fromQuery.next(3, WAIT))).containsExactly(6, 7, 8);
    publisher.publish("news", "item", obj("n", 9));
    assertThat(json(fromQuery.next(WAIT)).get("n").asInt()).isEqualTo(9);
    assertThat(json(resumed.next(WAIT)).get("n").asInt()).isEqualTo(9);
  }

  @Test
  void resumeAcrossRoomsReplaysInPublishOrder() throws Exception {
    start();
    RoomClient publisher = client().join("a").join("b");
    SseReader before = stream("a,b");
    awaitMembers("a", 2);
    publisher.publish("a", "item", obj("n", 0));
    before.next(WAIT);
    String lastId = before.lastEventId();
    before.close();
    awaitMembers("a", 1);

    // A burst alternating rooms: many land within the same millisecond.
    int burst = 40;
    for (int n = 1; n < burst; n++) {
      publisher.publishNoWait(n % 2 == 1 ? "a" : "b", "item", obj("n", n));
    }
    publisher.publish("b", "item", obj("n", burst));
    SseReader resumed = stream("a,b", Map.of("Last-Event-ID", lastId));
    List<Integer> expected = java.util.stream.IntStream.rangeClosed(1, burst).boxed().toList();
    assertThat(numbers(resumed.next(burst, WAIT))).containsExactlyElementsOf(expected);
    assertThat(offset(resumed.lastEventId(), "a")).isEqualTo(burst / 2 + 1);
    assertThat(offset(resumed.lastEventId(), "b")).isEqualTo(burst / 2);
    publisher.publish("b", "item", obj("n", burst + 1));
    assertThat(json(resumed.next(WAIT)).get("n").asInt()).isEqualTo(burst + 1);
  }

  @Test
  void tooShortAHistoryYieldsAGapNoticeThenWhatIsStillKept() throws Exception {
    start("history-max-length", "3");
    RoomClient publisher = client().join("g");
    SseReader before = stream("g");
    awaitMembers("g", 2);
    publisher.publish("g", "item", obj("n", 1));
    SseReader.Event first = before.next(WAIT);
    String epoch = epoch(first.id(), "g");
    before.close();
    awaitMembers("g", 1);

    for (int n = 2; n <= 7; n++) {
      publisher.publish("g", "item", obj("n", n));
    }
    SseReader resumed = stream("g", Map.of("Last-Event-ID", first.id()));
    SseReader.Event gap = resumed.next(WAIT);
    assertThat(gap.event()).isEqualTo("stream:gap");
    JsonNode notice = json(gap);
    assertThat(notice.get("room").asText()).isEqualTo("g");
    assertThat(notice.get("from").asText()).isEqualTo(epoch + ":1");
    assertThat(notice.get("head").asText()).isEqualTo(epoch + ":7");
    assertThat(notice.get("message").asText()).isNotBlank();
    assertThat(offset(gap.id(), "g")).as("the gap's id resumes before what is kept").isEqualTo(4);
    List<SseReader.Event> kept = resumed.next(3, WAIT);
    assertThat(numbers(kept)).containsExactly(5, 6, 7);
    assertThat(kept).extracting(e -> offset(e.id(), "g")).containsExactly(5L, 6L, 7L);
    publisher.publish("g", "item", obj("n", 8));
    assertThat(json(resumed.next(WAIT)).get("n").asInt()).isEqualTo(8);
    assertThat(resumed.drain()).isEmpty();
  }

  @Test
  void anUnknownEpochOrAnUnreadableIdYieldsAGapNotice() throws Exception {
    start("history-max-length", "3");
    RoomClient publisher = client().join("g");
    for (int n = 1; n <= 4; n++) {
      publisher.publish("g", "item", obj("n", n));
    }
    SseReader unknownEpoch = stream("g", Map.of("Last-Event-ID", "g@unknown.2"));
    SseReader.Event gap = unknownEpoch.next(WAIT);
    assertThat(gap.event()).isEqualTo("stream:gap");
    assertThat(json(gap).get("from").asText()).isEqualTo("unknown:2");
    String epoch = epoch(gap.id(), "g");
    assertThat(epoch).isNotEqualTo("unknown");
    assertThat(json(gap).get("head").asText()).isEqualTo(epoch + ":4");
    assertThat(numbers(unknownEpoch.next(3, WAIT))).containsExactly(2, 3, 4);

    SseReader unreadable = stream("g", Map.of("Last-Event-ID", "not an id of ours"));
    SseReader.Event unreadableGap = unreadable.next(WAIT);
    assertThat(unreadableGap.event()).isEqualTo("stream:gap");
    assertThat(json(unreadableGap).get("from").isNull()).isTrue();
    assertThat(offset(unreadableGap.id(), "g")).isEqualTo(4);

    publisher.publish("g", "item", obj("n", 5));
    assertThat(json(unknownEpoch.next(WAIT)).get("n").asInt()).isEqualTo(5);
    assertThat(json(unreadable.next(WAIT)).get("n").asInt()).isEqualTo(5);
  }

  @Test
  void forbiddenAndInvalidRoomsAreRefusedWithJsonAndACode() throws Exception {
    start();
    RoomClient someone = client();
    assertRefused("/sse?rooms=user%3A42", 403, "FORBIDDEN_ROOM");
    assertRefused("/sse?rooms=lobby," + someone.id(), 403, "FORBIDDEN_ROOM");
    assertRefused("/sse?rooms=bad%20room", 400, "INVALID_ROOM");
    assertRefused("/sse?rooms=" + "x".repeat(201), 400, "INVALID_ROOM");
    assertRefused("/sse", 400, "NO_ROOMS");
    assertRefused("/sse?rooms=,,", 400, "NO_ROOMS");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 33; i++) {
      many.append(i == 0 ? "" : ",").append("r").append(i);
    }
    assertRefused("/sse?rooms=" + many, 400, "TOO_MANY_ROOMS");
    SseReader post = SseReader.open("127.0.0.1", app.port(), "POST", "/sse?rooms=lobby", Map.of("Content-Length", "0"));
    assertThat(post.status()).isEqualTo(405);
    assertThat(json(post.body().orElseThrow()).get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(roomSizes()).doesNotContainKeys("lobby", "user:42", "bad room");
  }

  private void assertRefused(String path, int status, String code) throws IOException {
    try (SseReader refused = SseReader.open(app.port(), path)) {
      assertThat(refused.status()).as("status of %s", path).isEqualTo(status);
      assertThat(refused.header("content-type").orElseThrow()).startsWith("application/json");
      JsonNode body = json(refused.body().orElseThrow());
      assertThat(body.get("code").asText()).as("code of %s", path).isEqualTo(code);
      assertThat(body.get("message").asText()).isNotBlank();
    }
  }

  @Test
  void aClosedClientLeavesItsRoomsAtOnce() throws Exception {
    start();
    SseReader reader = stream("one,two");
    SseReader stays = stream("two");
    awaitMembers("one", 1);
    awaitMembers("two", 2);
    reader.close();
    awaitMembers("two", 1);
    assertThat(roomSizes()).doesNotContainKey("one");
    stays.close();
    await().atMost(WAIT).untilAsserted(() -> assertThat(roomSizes()).doesNotContainKeys("one", "two"));
  }

  @Test
  void stoppingTheSocketIoServerEndsStreamsAndTheirMemberships() throws Exception {
    start();
    SseReader reader = stream("one,two");
    RoomClient socket = client().join("two");
    awaitMembers("two", 2);
    app.io().close();
    assertThat(reader.awaitEnd(WAIT)).as("the stream ends when the server stops").isTrue();
    assertThat(reader.endedCleanly()).as("ended with the last chunk, so clients reconnect").isTrue();
    await().atMost(WAIT).untilAsserted(() -> assertThat(roomSizes()).doesNotContainKeys("one", "two"));
    await().atMost(WAIT).until(() -> app.io().connectionCount() == 0);
  }

  @Test
  void stoppingTheServerEndsStreams() throws Exception {
    start();
    SseReader reader = stream("one");
    awaitMembers("one", 1);
    long start = System.nanoTime();
    app.close();
    app = null;
    assertThat(reader.awaitEnd(WAIT)).as("the stream ends when the server stops").isTrue();
    assertThat(reader.endedCleanly()).as("ended with the last chunk").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
  }
}
