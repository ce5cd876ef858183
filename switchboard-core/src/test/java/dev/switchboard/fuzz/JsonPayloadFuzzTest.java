package dev.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.socketio.Args;
import dev.switchboard.http.internal.Json;
import dev.switchboard.http.internal.PayloadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The JSON payload path of an event, from the parser to a listener: parse, put attachments back,
 * bind arguments to what an application asks for, encode for an echo. Allowed failures: the
 * parser's {@link IOException}, {@link PayloadException} for a bad placeholder and
 * {@link IllegalArgumentException} from {@link Args#get(int, Class)} for an argument of the wrong
 * type ({@link Args#findText} and {@link Args#findBytes} answer empty instead). The echo must be valid JSON with the same number of arguments.
 */
class JsonPayloadFuzzTest {
  private static final List<byte[]> ATTACHMENTS = List.of(new byte[] {1, 2, 3}, new byte[0]);
  private static final List<Class<?>> TYPES =
      List.of(Message.class, Map.class, List.class, String.class, Integer.class, Long.class, Double.class,
          Boolean.class, byte[].class, int[].class);

  /** What a typical listener binds its first argument to. */
  record Message(String room, String text, int count, List<String> tags, Map<String, Object> meta) {}

  @FuzzTest(maxDuration = "2m")
  void parseBindAndEcho(byte[] input) throws IOException {
    JsonNode node;
    try {
      node = Json.parse(new String(input, StandardCharsets.UTF_8));
    } catch (IOException expected) {
      return;
    }
    try {
      node = Json.reviveBinary(node, ATTACHMENTS);
    } catch (PayloadException expected) {
      return;
    }
    if (!(node instanceof ArrayNode array)) {
      Json.stringify(node);
      return;
    }
    Args args = Args.of(array);
    for (int i = 0; i < args.size(); i++) {
      args.findText(i);
      args.findBytes(i);
      for (Class<?> type : TYPES) {
        try {
          args.get(i, type);
        } catch (IllegalArgumentException expected) {
          // the listener's own error; the connection goes on
        }
      }
    }
    Json.Encoded echo = Json.encodeArray("echo", args.toArray());
    JsonNode again = Json.parse(new String(echo.json(), StandardCharsets.UTF_8));
    assertThat(again.isArray()).isTrue();
    assertThat(again.size()).isEqualTo(args.size() + 1);
  }
}
