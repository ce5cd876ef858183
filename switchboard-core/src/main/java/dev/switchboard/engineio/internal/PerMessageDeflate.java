package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.WebSocketCompression;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The permessage-deflate terms agreed with one client (RFC 7692 section 7): whether each side
 * starts every message with an empty window, and the options' threshold and level. The server
 * never compresses with a window under 2^15 (the JDK's zlib cannot be told to), so an offer asking
 * for a smaller {@code server_max_window_bits} is declined; any {@code client_max_window_bits} is
 * fine, since a 2^15 inflater reads every smaller window.
 */
record PerMessageDeflate(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int threshold, int level) {
  static final String EXTENSION = "permessage-deflate";
  /** What the JDK's Deflater always uses. */
  private static final int WINDOW_BITS = 15;

  /** The first offer of {@code header} (a request's Sec-WebSocket-Extensions) these options can accept. */
  static Optional<PerMessageDeflate> negotiate(String header, WebSocketCompression options) {
    for (String offer : header.split(",")) {
      Optional<PerMessageDeflate> accepted = accept(offer, options);
      if (accepted.isPresent()) {
        return accepted;
      }
    }
    return Optional.empty();
  }

  private static Optional<PerMessageDeflate> accept(String offer, WebSocketCompression options) {
    String[] parts = offer.split(";");
    if (!parts[0].trim().equalsIgnoreCase(EXTENSION)) {
      return Optional.empty();
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      int eq = part.indexOf('=');
      String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? null : unquote(part.substring(eq + 1).trim());
      if (params.containsKey(name)) {
        return Optional.empty(); // RFC 7692 7.1: a parameter given twice makes the offer invalid
      }
      params.put(name, value);
    }
    boolean serverNoTakeover = !options.serverContextTakeover();
    boolean clientNoTakeover = !options.clientContextTakeover();
    for (Map.Entry<String, String> param : params.entrySet()) {
      String value = param.getValue();
      switch (param.getKey()) {
        case "server_no_context_takeover" -> {
          if (value != null) {
            return Optional.empty();
          }
          serverNoTakeover = true;
        }
        case "client_no_context_takeover" -> {
          if (value != null) {
            return Optional.empty();
          }
          clientNoTakeover = true;
        }
        case "server_max_window_bits" -> {
          if (windowBits(value) != WINDOW_BITS) {
            return Optional.empty();
          }
        }
        case "client_max_window_bits" -> {
          if (value != null && windowBits(value) < 0) {
            return Optional.empty();
          }
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(new PerMessageDeflate(serverNoTakeover, clientNoTakeover, options.threshold(), options.level()));
  }

  /** 8 to 15, or -1 when {@code value} is no such number. */
  private static int windowBits(String value) {
    if (value == null || value.isEmpty() || value.length() > 2 || !value.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int bits = Integer.parseInt(value);
    return bits >= 8 && bits <= 15 ? bits : -1;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
  }

  /** The Sec-WebSocket-Extensions value of the server's answer. */
  String responseHeader() {
    StringBuilder header = new StringBuilder(EXTENSION);
    if (serverNoContextTakeover) {
      header.append("; server_no_context_takeover");
    }
    if (clientNoContextTakeover) {
      header.append("; client_no_context_takeover");
    }
    return header.toString();
  }
}
