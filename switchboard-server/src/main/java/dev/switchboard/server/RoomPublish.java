package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.server.messages.Dedupe;
import dev.switchboard.server.messages.PublishListener;
import dev.switchboard.server.messages.PublishRules;
import dev.switchboard.server.messages.PublishedMessage;
import dev.switchboard.server.chat.ChatRoute;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.CallConsent;
import dev.switchboard.webrtc.WebRtcSignaling;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * {@code room:publish {room, event, data, id?, ack?}}: checked, sent once per message id to the
 * room's other members as {@code event(data, meta)}, and answered with the message's position or
 * the members' acknowledgements.
 */
final class RoomPublish {
  /**
   * Names a publish may not carry: the protocol's, and every event this server sends on its own
   * (a relayed signal's {@code from} is the server's word, so members cannot publish one; nor a
   * recording notice).
   */
  static final Set<String> RESERVED_EVENTS = PublishRules.reserved(
      union(union(ChatRoute.ROOM_EVENTS, WebRtcSignaling.EVENTS), CallConsent.SERVER_EVENTS));
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private RoomPublish() {}

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /** The publish of open mode: any member may publish to its rooms; {@code published} hears each message sent. */
  static CompletableFuture<?> publish(Socket socket, Event event, Dedupe dedupe, PublishListener published) {
    return publishableRoom(socket, event).<CompletableFuture<?>>map(room -> deliver(socket, event, room, dedupe, published))
        .orElse(DONE);
  }

  /** The room of a valid publish by a member, or empty after answering with an error. */
  static Optional<String> publishableRoom(Socket socket, Event event) {
    Optional<String> named = RoomRequests.room(event);
    if (named.isEmpty()) {
      return named;
    }
    String room = named.get();
    JsonNode name = event.args().get(0).get("event");
    Optional<PublishRules.Problem> problem = name == null || !name.isTextual()
        ? PublishRules.checkEvent("", RESERVED_EVENTS) : PublishRules.checkEvent(name.textValue(), RESERVED_EVENTS);
    if (problem.isPresent()) {
      event.ack(Answers.error(problem.get().code(), problem.get().message()));
      return Optional.empty();
    }
    if (!socket.rooms().contains(room)) {
      event.ack(Answers.error("NOT_IN_ROOM", room.startsWith(Rooms.USER_PREFIX)
          ? "\"" + room + "\" is a user's own room, which only the server publishes to; to reach that user, publish to a room you both joined"
          : "join \"" + room + "\" before publishing to it"));
      return Optional.empty();
    }
    return named;
  }

  /**
   * Sends a validated publish to the room, once per message id; completes when it is sent or
   * answered as a duplicate.
   */
  static CompletableFuture<?> deliver(Socket socket, Event event, String room, Dedupe dedupe, PublishListener published) {
    JsonNode request = event.args().get(0);
    JsonNode id = request.get("id");
    boolean hasId = id != null && !id.isNull();
    Optional<PublishRules.Problem> badId = !hasId ? Optional.empty() : PublishRules.checkId(id.isTextual() ? id.textValue() : "");
    if (badId.isPresent()) {
      event.ack(Answers.error(badId.get().code(), badId.get().message()));
      return DONE;
    }
    JsonNode ack = request.get("ack");
    long maxAck = BuiltInEvents.MAX_ACK_TIMEOUT.toMillis();
    if (ack != null && !ack.isNull() && (!ack.canConvertToLong() || ack.asLong() < 1 || ack.asLong() > maxAck)) {
      event.ack(Answers.error("INVALID_REQUEST", "ack must be a timeout of 1 to " + maxAck + " ms"));
      return DONE;
    }
    if (!hasId) {
      send(socket, event, room, Optional.empty(), published, () -> {});
      return DONE;
    }
    String key = Dedupe.key(room, id.textValue());
    CompletableFuture<Boolean> first = dedupe.firstTime(key);
    Consumer<Boolean> sendOnce = isFirst -> {
      if (isFirst) {
        send(socket, event, room, Optional.of(id.textValue()), published, () -> dedupe.forget(key));
      } else {
        event.ack(Map.of("ok", true, "duplicate", true));
      }
    };
    if (first.isDone()) {
      sendOnce.accept(first.join());
      return DONE;
    }
    return first.thenAcceptAsync(sendOnce, socket.executor());
  }

  /**
   * Sends {@code event(data, meta)} to the room's other members, answers the publish and tells
   * {@code published}; {@code refused} runs when the publish failed, so its resend is not a duplicate.
   */
  private static void send(Socket socket, Event event, String room, Optional<String> id, PublishListener published,
      Runnable refused) {
    JsonNode request = event.args().get(0);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("room", room);
    meta.put("from", socket.id());
    SocketAuthentication.principal(socket).ifPresent(principal -> meta.put("user", principal.subject()));
    id.ifPresent(messageId -> meta.put("id", messageId));
    String name = request.get("event").textValue();
    JsonNode data = request.get("data");
    JsonNode ack = request.get("ack");
    Optional<String> user = SocketAuthentication.principal(socket).map(principal -> principal.subject());
    JsonNode sent = data == null ? NullNode.getInstance() : data;
    if (ack != null && !ack.isNull()) {
      socket.to(room).timeout(Duration.ofMillis(ack.asLong()))
          .emitWithAck(name, data, meta)
          .whenComplete((answers, failure) -> event.ack(acknowledged(answers, failure)));
      published.published(new PublishedMessage(room, name, sent, id, socket.id(), user, Optional.empty()));
      return;
    }
    socket.to(room).emitWithPosition(name, data, meta)
        .whenComplete((position, failure) -> {
          if (failure != null) {
            refused.run();
            RequestFailures.answer(event, failure);
          } else {
            event.ack(published(position));
            published.published(new PublishedMessage(room, name, sent, id, socket.id(), user,
                position.map(StreamPosition::toString)));
          }
        });
  }

  /** The answer to a publish: with the message's position when its room keeps it. */
  private static Map<String, Object> published(Optional<StreamPosition> position) {
    return position.isEmpty() ? Answers.ok() : Map.of("ok", true, "position", position.get().toString());
  }

  /** The answer to a publish with {@code ack}: the first argument of every member's acknowledgement. */
  private static Map<String, Object> acknowledged(List<Args> answers, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof AckTimeoutException timeout) {
      Map<String, Object> answer = new LinkedHashMap<>(Answers.error("ACK_TIMEOUT", timeout.getMessage()));
      answer.put("responses", firstArguments(timeout.received()));
      return answer;
    }
    if (cause != null) {
      return Answers.error("INTERNAL", "the acknowledgements could not be collected");
    }
    return Map.of("ok", true, "responses", firstArguments(answers));
  }

  private static List<JsonNode> firstArguments(List<Args> answers) {
    return answers.stream().map(args -> args.get(0).isMissingNode() ? NullNode.getInstance() : args.get(0)).toList();
  }
}
