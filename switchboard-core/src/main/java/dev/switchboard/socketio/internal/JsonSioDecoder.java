package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.Json;
import dev.switchboard.http.internal.PayloadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes Socket.IO v5 packets from Engine.IO messages. Stateful only while a binary packet
 * waits for its attachments: the text message comes first, then each attachment as a binary
 * message.
 */
public final class JsonSioDecoder implements SioDecoder {

  private final int maxAttachments;
  private Partial partial;

  private record Partial(char type, String nsp, long ackId, JsonNode payload, int expected, List<byte[]> attachments) {}

  public JsonSioDecoder(int maxAttachments) {
    this.maxAttachments = maxAttachments;
  }

  /** Decodes a text message; returns null when the packet waits for binary attachments. */
  @Override
  public SioPacket decodeText(String text) {
    if (partial != null) {
      throw new SioProtocolException("got a text message while waiting for binary attachments");
    }
    int length = text.length();
    if (length == 0) {
      throw new SioProtocolException("empty packet");
    }
    char type = text.charAt(0);
    if (type < SioType.CONNECT || type > SioType.BINARY_ACK) {
      throw new SioProtocolException("unknown packet type");
    }
    int i = 1;
    int attachments = 0;
    if (type == SioType.BINARY_EVENT || type == SioType.BINARY_ACK) {
      int dash = text.indexOf('-', i);
      if (dash < 0 || dash == i || dash - i > 6) {
        throw new SioProtocolException("illegal attachment count");
      }
      attachments = parseDigits(text, i, dash, "illegal attachment count");
      if (attachments > maxAttachments) {
        throw new SioProtocolException("too many binary attachments (" + attachments + " > " + maxAttachments + ")");
      }
      i = dash + 1;
    }
    String nsp = SioPacket.DEFAULT_NSP;
    if (i < length && text.charAt(i) == '/') {
      int comma = text.indexOf(',', i);
      int end = comma < 0 ? length : comma;
      nsp = text.substring(i, end);
      i = comma < 0 ? length : comma + 1;
    }
    long ackId = -1;
    int idStart = i;
    while (i < length && isDigit(text.charAt(i))) {
      i++;
    }
    if (i > idStart) {
      if (i - idStart > 16) {
        throw new SioProtocolException("ack id too large");
      }
      ackId = Long.parseLong(text, idStart, i, 10);
      if (ackId > MAX_ACK_ID) {
        throw new SioProtocolException("ack id too large");
      }
    }
    JsonNode payload = null;
    if (i < length) {
      try {
        payload = Json.parse(text.substring(i));
      } catch (IOException e) {
        throw new SioProtocolException("invalid JSON payload");
      }
    }
    validate(type, payload, ackId);
    if (type == SioType.BINARY_EVENT || type == SioType.BINARY_ACK) {
      if (attachments == 0) {
        return complete(type, nsp, ackId, payload);
      }
      partial = new Partial(type, nsp, ackId, payload, attachments, new ArrayList<>(attachments));
      return null;
    }
    return complete(type, nsp, ackId, payload);
  }

  /** Adds a binary attachment; returns the packet once all its attachments arrived. */
  @Override
  public SioPacket decodeBinary(byte[] data) {
    Partial p = partial;
    if (p == null) {
      throw new SioProtocolException("unexpected binary message");
    }
    p.attachments.add(data);
    if (p.attachments.size() < p.expected) {
      return null;
    }
    partial = null;
    JsonNode payload;
    try {
      payload = Json.reviveBinary(p.payload, p.attachments);
    } catch (PayloadException e) {
      throw new SioProtocolException(e.getMessage());
    }
    return complete(p.type, p.nsp, p.ackId, payload);
  }

  /** Whether a binary packet is waiting for attachments. */
  @Override
  public boolean awaitingAttachments() {
    return partial != null;
  }

  static SioPacket complete(char type, String nsp, long ackId, JsonNode payload) {
    return switch (type) {
      case SioType.CONNECT -> new SioPacket.Connect(nsp, payload);
      case SioType.DISCONNECT -> new SioPacket.Disconnect(nsp);
      case SioType.EVENT, SioType.BINARY_EVENT -> new SioPacket.Event(nsp, ackId, (ArrayNode) payload);
      case SioType.ACK, SioType.BINARY_ACK -> new SioPacket.Ack(nsp, ackId, (ArrayNode) payload);
      case SioType.CONNECT_ERROR -> new SioPacket.ConnectError(nsp, payload);
      default -> throw new SioProtocolException("unknown packet type");
    };
  }

  static void validate(char type, JsonNode payload, long ackId) {
    boolean valid = switch (type) {
      case SioType.CONNECT -> payload == null || payload.isObject();
      case SioType.DISCONNECT -> payload == null;
      case SioType.CONNECT_ERROR -> payload != null && (payload.isTextual() || payload.isObject());
      case SioType.EVENT, SioType.BINARY_EVENT -> payload != null && payload.isArray() && !payload.isEmpty()
          && (payload.get(0).isNumber()
              || (payload.get(0).isTextual() && !RESERVED_EVENTS.contains(payload.get(0).textValue())));
      case SioType.ACK, SioType.BINARY_ACK -> payload != null && payload.isArray() && ackId >= 0;
      default -> false;
    };
    if (!valid) {
      throw new SioProtocolException("invalid payload for packet type " + type);
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int parseDigits(String text, int from, int to, String error) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!isDigit(c)) {
        throw new SioProtocolException(error);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
