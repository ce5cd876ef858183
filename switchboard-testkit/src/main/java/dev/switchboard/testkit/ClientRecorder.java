package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.socket.client.Ack;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;

/**
 * Records everything a Java client socket receives, in order: connect, connect_error, disconnect,
 * named events (with the ack callback the server asked for) and the answers to acks sent with
 * {@link #ack(String)}. Each {@code await*} takes the <em>next</em> recording and fails when it is
 * of another kind, so a test states the exact sequence it expects. Waits are bounded.
 *
 * <p>The client calls listeners on its single event thread; this class only queues there, and
 * the test thread takes.
 */
public final class ClientRecorder {
  /** How long an {@code await*} waits by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** One thing the client received. */
  public sealed interface Recorded permits Connected, ConnectError, Disconnected, Received, AckAnswer {}

  /** The socket joined its namespace. */
  public record Connected() implements Recorded {}

  /**
   * The server refused the connection; {@code error} is what the client passed (usually a
   * JSONObject; {@link JSONObject#NULL} when nothing).
   */
  public record ConnectError(Object error) implements Recorded {
    /** The {@code message} field of a CONNECT_ERROR payload; fails when an object payload has none. */
    public String message() {
      if (error instanceof JSONObject json) {
        assertThat(json.has("message")).as("a message in %s", json).isTrue();
        return json.optString("message");
      }
      return String.valueOf(error);
    }

    /** The {@code data} field of a CONNECT_ERROR payload; empty when it has none. */
    public Optional<Object> data() {
      return error instanceof JSONObject json ? Optional.ofNullable(json.opt("data")) : Optional.empty();
    }
  }

  /** The socket left its namespace, for {@code reason} (empty when the client gave none). */
  public record Disconnected(String reason) implements Recorded {}

  /** A named event; {@code ack} is present when the server waits for an acknowledgement. */
  public record Received(String name, List<Object> args, Optional<Ack> ack) implements Recorded {
    public Object arg(int index) {
      return args.get(index);
    }

    public String text(int index) {
      return (String) args.get(index);
    }

    public int integer(int index) {
      return ((Number) args.get(index)).intValue();
    }

    public byte[] bytes(int index) {
      Object value = args.get(index);
      assertThat(value).as("argument %d of %s", index, name).isInstanceOf(byte[].class);
      return (byte[]) value;
    }

    public JSONObject json(int index) {
      return (JSONObject) args.get(index);
    }

    /** Answers the server's acknowledgement request. */
    public void reply(Object... values) {
      assertThat(ack).as("event %s carries no ack", name).isPresent();
      ack.get().call(values);
    }
  }

  /** The answer to an acknowledgement requested by the client, tagged with the label given to {@link #ack}. */
  public record AckAnswer(String label, List<Object> args) implements Recorded {
    public Object arg(int index) {
      return args.get(index);
    }
  }

  private final Socket socket;
  private final BlockingQueue<Recorded> queue = new LinkedBlockingQueue<>();
  private final Duration timeout;

  private ClientRecorder(Socket socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  /** Starts recording {@code socket}; call before {@code socket.connect()}. */
  public static ClientRecorder record(Socket socket) {
    return record(socket, DEFAULT_TIMEOUT);
  }

  public static ClientRecorder record(Socket socket, Duration timeout) {
    ClientRecorder recorder = new ClientRecorder(socket, timeout);
    socket.on(Socket.EVENT_CONNECT, args -> recorder.queue.add(new Connected()));
    socket.on(Socket.EVENT_CONNECT_ERROR, args -> recorder.queue.add(
        new ConnectError(args.length > 0 && args[0] != null ? args[0] : JSONObject.NULL)));
    socket.on(Socket.EVENT_DISCONNECT, args -> recorder.queue.add(new Disconnected(args.length > 0 ? String.valueOf(args[0]) : "")));
    socket.onAnyIncoming(args -> {
      List<Object> values = new ArrayList<>(Arrays.asList(args));
      String name = String.valueOf(values.remove(0));
      Optional<Ack> ack = !values.isEmpty() && values.get(values.size() - 1) instanceof Ack a
          ? Optional.of(a) : Optional.empty();
      if (ack.isPresent()) {
        values.remove(values.size() - 1);
      }
      recorder.queue.add(new Received(name, List.copyOf(nullsAllowed(values)), ack));
    });
    return recorder;
  }

  private static List<Object> nullsAllowed(List<Object> values) {
    // List.copyOf refuses nulls; JSON null arrives as null.
    return values.stream().map(v -> v == null ? JSONObject.NULL : v).toList();
  }

  public Socket socket() {
    return socket;
  }

  /** Connects the socket (recording must be set up first, which {@link #record} does). */
  public ClientRecorder connect() {
    socket.connect();
    return this;
  }

  /** An ack callback whose answer is recorded as an {@link AckAnswer} labelled {@code label}. */
  public Ack ack(String label) {
    return args -> queue.add(new AckAnswer(label, List.copyOf(nullsAllowed(Arrays.asList(args)))));
  }

  /** Emits {@code event} with {@code args} and an ack labelled {@code label}. */
  public void emitWithAck(String label, String event, Object... args) {
    socket.emit(event, args, ack(label));
  }

  /** The next recording, whatever it is. */
  public Recorded next() {
    return next(timeout);
  }

  public Recorded next(Duration wait) {
    try {
      Recorded recorded = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (recorded == null) {
        fail("nothing received within " + wait.toMillis() + " ms");
      }
      return recorded;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private <T extends Recorded> T next(Class<T> type, String what) {
    Recorded recorded = next();
    if (!type.isInstance(recorded)) {
      fail("expected " + what + " but got " + recorded);
    }
    return type.cast(recorded);
  }

  public Connected awaitConnect() {
    return next(Connected.class, "connect");
  }

  public ConnectError awaitConnectError() {
    return next(ConnectError.class, "connect_error");
  }

  public Disconnected awaitDisconnect() {
    return next(Disconnected.class, "disconnect");
  }

  /** Waits for a disconnect and checks its reason. */
  public Disconnected awaitDisconnect(String reason) {
    Disconnected disconnected = awaitDisconnect();
    assertThat(disconnected.reason()).as("disconnect reason").isEqualTo(reason);
    return disconnected;
  }

  /** The next recording, which must be the event {@code name}. */
  public Received awaitEvent(String name) {
    Received received = next(Received.class, "event \"" + name + "\"");
    assertThat(received.name()).as("event name of %s", received).isEqualTo(name);
    return received;
  }

  /** The next recording, which must be the answer to the ack labelled {@code label}. */
  public AckAnswer awaitAck(String label) {
    AckAnswer answer = next(AckAnswer.class, "ack \"" + label + "\"");
    assertThat(answer.label()).as("ack label of %s", answer).isEqualTo(label);
    return answer;
  }

  /** Fails if anything was received and not yet taken. */
  public void assertNoMoreEvents() {
    Recorded recorded = queue.peek();
    if (recorded != null) {
      fail("expected nothing more but got " + recorded + " (" + queue.size() + " pending)");
    }
  }

  /** The number of recordings not yet taken. */
  public int pending() {
    return queue.size();
  }

  /** Disconnects and stops the client socket. */
  public void close() {
    socket.close();
  }
}
