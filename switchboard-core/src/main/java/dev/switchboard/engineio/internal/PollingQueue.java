package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayDeque;

/**
 * What a polling client has yet to collect: the packets waiting for its next GET, and the GET
 * that waits for packets. A GET is answered with every waiting packet in one payload. Loop-confined.
 */
final class PollingQueue {
  static final String CONTENT_TYPE = "text/plain; charset=UTF-8";

  private record Outbound(ByteBuf packet, boolean binary) {}

  /** Sized small: a WebSocket session never queues, a polling one grows it as needed. */
  private final ArrayDeque<Outbound> packets = new ArrayDeque<>(2);
  /** Bytes of the messages in {@link #packets}, held to the outbound budget. */
  private long bytes;
  private PollExchange pendingGet;

  /** Queues a message, taking ownership of {@code packet}; returns the bytes now waiting. */
  long add(ByteBuf packet, boolean binary) {
    bytes += packet.readableBytes();
    packets.add(new Outbound(packet, binary));
    return bytes;
  }

  /** Queues a control packet (open, ping), which the outbound budget does not count. */
  void addControl(ByteBuf packet) {
    packets.add(new Outbound(packet, false));
  }

  boolean isEmpty() {
    return packets.isEmpty();
  }

  /** The GET waiting for packets; null when none. */
  PollExchange pendingGet() {
    return pendingGet;
  }

  boolean hasPendingGet() {
    return pendingGet != null;
  }

  /** Keeps {@code get} until there is something to answer it with. */
  void hold(PollExchange get) {
    pendingGet = get;
  }

  PollExchange takePendingGet() {
    PollExchange get = pendingGet;
    pendingGet = null;
    get.watchClient(null);
    return get;
  }

  /** Answers the pending GET with every queued packet, then a close packet if asked. */
  void answerPending(boolean withClose) {
    answer(takePendingGet(), withClose);
  }

  /** Answers {@code get} with every queued packet, then a close packet if asked; a noop if that is nothing. */
  void answer(PollExchange get, boolean withClose) {
    ByteBuf payload = get.alloc().buffer(256);
    Outbound next;
    while ((next = packets.poll()) != null) {
      try {
        EngineCodec.appendToPayload(payload, next.packet(), next.binary());
      } finally {
        next.packet().release();
      }
    }
    bytes = 0;
    if (withClose) {
      if (payload.isReadable()) {
        payload.writeByte(EngineCodec.SEPARATOR);
      }
      payload.writeByte(EngineCodec.CLOSE);
    }
    if (!payload.isReadable()) {
      payload.writeByte(EngineCodec.NOOP);
    }
    get.respond(HttpResponseStatus.OK, CONTENT_TYPE, payload);
  }

  /** Answers the pending GET with the single packet {@code type}, leaving the queue as it is. */
  void answerPendingWith(char type) {
    answerWith(takePendingGet(), type);
  }

  static void answerWith(PollExchange get, char type) {
    get.respond(HttpResponseStatus.OK, CONTENT_TYPE, Unpooled.wrappedBuffer(new byte[] {(byte) type}));
  }

  /** Hands every queued packet to {@code webSocket}, in order, without flushing. */
  void moveTo(WebSocketTransport webSocket) {
    Outbound next;
    while ((next = packets.poll()) != null) {
      webSocket.write(next.packet(), next.binary());
    }
    bytes = 0;
  }

  /** Drops every queued packet. */
  void clear() {
    Outbound next;
    while ((next = packets.poll()) != null) {
      next.packet().release();
    }
    bytes = 0;
  }
}
