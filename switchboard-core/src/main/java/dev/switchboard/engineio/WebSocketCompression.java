package dev.switchboard.engineio;

/**
 * permessage-deflate (RFC 7692) on WebSocket, as Node's {@code perMessageDeflate} option: offered
 * by the client, accepted by the server. Messages smaller than {@code threshold} bytes go out
 * uncompressed. What a client sends compressed may inflate to {@code maxHttpBufferSize} bytes at
 * most; more closes its connection with 1009.
 *
 * @param threshold messages (Engine.IO packets) of fewer bytes are sent uncompressed; 1024 as in Node
 * @param serverContextTakeover whether the server's compressor keeps its window from one message
 *     to the next (better ratio, about 256 KiB of zlib state per connection, and every broadcast
 *     compressed once per recipient). Off by default: the server answers
 *     {@code server_no_context_takeover}, so each message is compressed on its own and a
 *     broadcast is compressed once and its bytes shared by every recipient
 * @param clientContextTakeover whether clients may keep their window between messages (the
 *     server then keeps a 32 KiB inflater per compressing connection). Off by default: the server
 *     answers {@code client_no_context_takeover}
 * @param level the zlib level, 0 to 9, or -1 for zlib's default (6)
 */
public record WebSocketCompression(int threshold, boolean serverContextTakeover, boolean clientContextTakeover,
    int level) {
  /** Node's {@code perMessageDeflate.threshold}. */
  public static final int DEFAULT_THRESHOLD = 1024;
  public static final int DEFAULT_LEVEL = -1;

  public WebSocketCompression {
    if (threshold < 0) {
      throw new IllegalArgumentException("threshold must not be negative");
    }
    if (level < -1 || level > 9) {
      throw new IllegalArgumentException("level must be -1 (zlib's default) or 0 to 9");
    }
  }

  /** Compression of messages from {@link #DEFAULT_THRESHOLD} bytes, no context takeover either way. */
  public static WebSocketCompression defaults() {
    return new WebSocketCompression(DEFAULT_THRESHOLD, false, false, DEFAULT_LEVEL);
  }

  /** These settings with {@code threshold}. */
  public WebSocketCompression withThreshold(int threshold) {
    return new WebSocketCompression(threshold, serverContextTakeover, clientContextTakeover, level);
  }
}
