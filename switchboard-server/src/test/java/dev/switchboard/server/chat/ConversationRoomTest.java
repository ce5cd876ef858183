package dev.switchboard.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.SseReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An answer with a {@code conversationId} is also published to {@code chat:{id}}: another tab
 * follows it live, and a stream that dropped mid-answer resumes where it stopped.
 */
class ConversationRoomTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private SwitchboardApp app;

  @BeforeEach
  void start() {
    app = TestApps.start(Map.of());
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void aDroppedStreamResumesMidAnswerFromItsLastEventId() throws Exception {
    String room = "/sse?rooms=chat:c1";
    SseReader firstTab = SseReader.open(app.port(), room);
    SseReader otherTab = SseReader.open(app.port(), room);

    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + app.port() + ChatRoute.PATH))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"conversationId\":\"c1\",\"messages\":[{\"role\":\"user\",\"content\":\"one two three four five\"}]}"))
        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("data: [DONE]");

    // The other tab saw the whole answer live.
    List<SseReader.Event> live = untilDone(otherTab);
    assertThat(text(live)).isEqualTo("one two three four five");

    // The first tab "dropped" after its second delta: resume from that id.
    SseReader.Event first = firstTab.nextMessage(WAIT);
    SseReader.Event second = firstTab.nextMessage(WAIT);
    assertThat(first.event()).isEqualTo("chat:delta");
    firstTab.close();
    try (SseReader resumed = SseReader.open("127.0.0.1", app.port(), room, Map.of("Last-Event-ID", second.id()))) {
      List<SseReader.Event> rest = untilDone(resumed);
      String resumedText = text(List.of(first, second)) + text(rest);
      assertThat(resumedText).isEqualTo("one two three four five");
      assertThat(rest).extracting(SseReader.Event::event).doesNotContain("stream:gap");
    }
    otherTab.close();
  }

  private static List<SseReader.Event> untilDone(SseReader reader) throws InterruptedException {
    List<SseReader.Event> events = new ArrayList<>();
    while (true) {
      SseReader.Event event = reader.nextMessage(WAIT);
      if (event.event().equals("chat:done")) {
        return events;
      }
      assertThat(event.event()).isEqualTo("chat:delta");
      events.add(event);
    }
  }

  private static String text(List<SseReader.Event> deltas) {
    StringBuilder text = new StringBuilder();
    for (SseReader.Event delta : deltas) {
      String data = delta.data();
      int start = data.indexOf("\"text\":\"") + 8;
      text.append(data, start, data.indexOf('"', start));
    }
    return text.toString();
  }
}
