package dev.switchboard.sample.chat;

import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.sample.chat.ChatRequests.EditMessage;
import dev.switchboard.sample.chat.ChatRequests.JoinRoom;
import dev.switchboard.sample.chat.ChatRequests.Joined;
import dev.switchboard.sample.chat.ChatRequests.SendMessage;
import dev.switchboard.sample.chat.ChatRequests.Sent;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.Socket;
import dev.switchboard.spring.handler.EventException;
import dev.switchboard.spring.handler.OnConnect;
import dev.switchboard.spring.handler.OnDisconnect;
import dev.switchboard.spring.handler.OnEvent;
import dev.switchboard.spring.handler.SocketController;
import jakarta.validation.Valid;

/**
 * The chat's events on {@code /chat}. Handlers run on virtual threads, so the repository's
 * blocking JDBC calls are fine here.
 */
@SocketController("/chat")
public class ChatController {
  static final int RECENT = 50;

  private final MessageRepository messages;

  public ChatController(MessageRepository messages) {
    this.messages = messages;
  }

  @OnConnect
  void connected(Socket socket, VerifiedToken user) {
    messages.visitStarted(socket.id(), user.subject());
  }

  @OnEvent("join")
  Joined join(Socket socket, @Valid JoinRoom request) {
    socket.join(request.room());
    return new Joined(request.room(), messages.recent(request.room(), RECENT));
  }

  @OnEvent("send")
  Sent send(Socket socket, VerifiedToken user, @Valid SendMessage request) {
    if (!socket.rooms().contains(request.room())) {
      throw new EventException("NOT_IN_ROOM", "join " + request.room() + " before sending to it");
    }
    Message message = messages.save(request.room(), user.subject(), request.text());
    socket.namespace().to(request.room()).emit("message", message);
    return new Sent(true, message.id());
  }

  @OnEvent("edit")
  Sent edit(Socket socket, VerifiedToken user, @Valid EditMessage request) {
    Message message = messages.find(request.id())
        .orElseThrow(() -> new EventException("NOT_FOUND", "no message " + request.id()));
    if (!message.author().equals(user.subject())) {
      throw new EventException("FORBIDDEN", "only its author may edit a message");
    }
    Message edited = messages.updateText(message, request.text());
    socket.namespace().to(message.room()).emit("message:edited", edited);
    return new Sent(true, edited.id());
  }

  @OnDisconnect
  void disconnected(Socket socket, DisconnectReason reason) {
    messages.visitEnded(socket.id(), reason.text());
  }
}
