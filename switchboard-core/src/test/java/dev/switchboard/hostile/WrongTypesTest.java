package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients.Mode;
import java.util.List;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Arguments of the wrong type make the application's listener fail ({@code Args.get} throws
 * {@code ArgumentException}): the client's acknowledgement says so ({@code INVALID_ARGUMENT}), and
 * the connection and everyone else go on. Listener exceptions in general: ListenerFailuresTest.
 */
class WrongTypesTest {
  private HostileServer server;

  @BeforeEach
  void start() {
    server = HostileServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_number_or_an_array_where_an_object_is_expected_fails_the_listener_not_the_connection() throws Exception {
    ClientRecorder client = server.clients().connected("/", Mode.WEBSOCKET);
    client.emitWithAck("number", "typed", 42);
    client.emitWithAck("array", "typed", new JSONArray(List.of(1, 2)));
    client.emitWithAck("text", "typed", "not an object");
    client.emitWithAck("nothing", "typed");

    for (String label : List.of("number", "array", "text", "nothing")) {
      JSONObject answer = (JSONObject) client.awaitAck(label).args().get(0);
      assertThat(answer.getBoolean("ok")).isFalse();
      assertThat(answer.getJSONObject("error").getString("code")).as(label).isEqualTo("INVALID_ARGUMENT");
    }
    client.emitWithAck("good", "typed", new JSONObject().put("room", "a").put("text", "hi"));
    assertThat(client.awaitAck("good").args()).isEqualTo(List.of("ok", "hi"));
    assertThat(client.socket().connected()).isTrue();

    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }
}
