package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.sse.internal.EventIds;
import dev.switchboard.sse.internal.SseRoomsRoute;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The request side of {@code GET /sse?rooms=...}: the request URI (path and query, as the router
 * and the route decode them), the {@code rooms} parameter and {@code Last-Event-ID}. Only the
 * query decoder's {@link IllegalArgumentException} may escape (the router answers it with 400);
 * rooms come out trimmed, non-blank and without commas; an id that parses is written back the same.
 *
 * <p>Input format: the request URI, a line break, then the {@code Last-Event-ID} header value.
 */
class SseRequestFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void parseRequest(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String uri = newline < 0 ? text : text.substring(0, newline);
    String lastEventId = newline < 0 ? "" : text.substring(newline + 1);

    try {
      QueryStringDecoder query = new QueryStringDecoder(uri);
      query.path();
      List<String> values = query.parameters().get("rooms");
      Set<String> rooms = SseRoomsRoute.parseRooms(values == null || values.isEmpty() ? "" : values.get(0));
      for (String room : rooms) {
        assertThat(room).isNotBlank().doesNotContain(",").isEqualTo(room.trim());
      }
    } catch (IllegalArgumentException malformedQuery) {
      // answered 400 by the router
    }

    Optional<Map<String, StreamPosition>> cursors = EventIds.parse(lastEventId);
    if (cursors.isPresent()) {
      String written = EventIds.encode(cursors.get());
      assertThat(EventIds.parse(written)).contains(cursors.get());
    }
  }
}
