package dev.switchboard.server.cluster;

import io.socket.client.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONObject;

/** Every {@code chat {p, n}} one member receives, with the time it came, in order. */
final class SequenceInbox {
  /** Number {@code n} of publisher {@code publisher}, received at {@code nanos}. */
  record Receipt(String publisher, int n, long nanos) {}

  private final String member;
  private final String room;
  private final List<Receipt> receipts = new CopyOnWriteArrayList<>();

  private SequenceInbox(String member, String room) {
    this.member = member;
    this.room = room;
  }

  /** Records what {@code socket}, a member of {@code room} (or of every room, when empty), receives from now on. */
  static SequenceInbox of(Socket socket, String member, String room) {
    SequenceInbox inbox = new SequenceInbox(member, room);
    socket.on("chat", args -> {
      JSONObject data = (JSONObject) args[0];
      inbox.receipts.add(new Receipt(data.optString("p"), data.optInt("n"), System.nanoTime()));
    });
    return inbox;
  }

  String member() {
    return member;
  }

  /** The member's room; empty for a member of every room. */
  String room() {
    return room;
  }

  List<Receipt> receipts() {
    return List.copyOf(receipts);
  }
}
