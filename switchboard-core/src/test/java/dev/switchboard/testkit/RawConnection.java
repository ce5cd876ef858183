package dev.switchboard.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One TCP connection driven byte by byte: an HTTP request written as given (the write is done when
 * the call returns, so requests on several connections leave in call order), its answer read
 * later, and, after a {@code 101}, WebSocket frames of any shape (fragments, bad UTF-8, any close).
 */
public final class RawConnection implements AutoCloseable {
  /** The headers of a WebSocket handshake, each ending in CRLF. */
  public static final String WEBSOCKET_UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

  /** An HTTP answer: status code, head (status line and headers) and body. */
  public record Answer(int status, String head, String body) {
    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** A WebSocket frame as it came; {@code rsv} holds its three reserved bits (RSV1 is 4). */
  public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame; 1005 (none given) for an empty one. */
    public int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }

    @Override
    public String toString() {
      return opcode == CLOSE ? "close " + closeCode() : "frame " + opcode + (fin ? "" : " (more)") + " " + text();
    }
  }

  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  private RawConnection(int port) {
    this.port = port;
  }

  private void connect() {
    try {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connects to the server on loopback {@code port}. */
  public static RawConnection open(int port) {
    RawConnection connection = new RawConnection(port);
    connection.connect();
    return connection;
  }

  /** A connection made only when its first request is written, as clients that open one per request do. */
  public static RawConnection openOnFirstWrite(int port) {
    return new RawConnection(port);
  }

  /** Connects and writes {@code GET target} (with {@code Connection: close}); the answer is for {@link #readAnswer()}. */
  public static RawConnection get(int port, String target) {
    RawConnection connection = open(port);
    connection.writeRequest("GET", target, "Connection: close\r\n", "");
    return connection;
  }

  /** Connects and writes {@code POST target} with {@code body} (with {@code Connection: close}). */
  public static RawConnection post(int port, String target, String body) {
    RawConnection connection = open(port);
    connection.writeRequest("POST", target, "Connection: close\r\nContent-Type: text/plain;charset=UTF-8\r\n", body);
    return connection;
  }

  /** Connects and writes a WebSocket handshake for {@code target}; {@link #readAnswer()} reads the 101 (or refusal). */
  public static RawConnection webSocket(int port, String target) {
    return webSocket(port, target, "");
  }

  /** {@link #webSocket(int, String)} with more request headers, each ending in CRLF. */
  public static RawConnection webSocket(int port, String target, String headers) {
    RawConnection connection = open(port);
    connection.writeRequest("GET", target, WEBSOCKET_UPGRADE + headers, "");
    return connection;
  }

  /** Writes one request; {@code headers} each end in CRLF. */
  public void writeRequest(String method, String target, String headers, String body) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    if (socket == null) {
      connect();
    }
    String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers
        + (method.equals("GET") ? "" : "Content-Length: " + content.length + "\r\n") + "\r\n";
    write(head.getBytes(StandardCharsets.ISO_8859_1), content);
  }

  /** Reads an answer's head, then its body of {@code Content-Length} bytes (none without one). */
  public Answer readAnswer() {
    try {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!endsWithBlankLine(head)) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed after " + head.size() + " bytes of an answer: " + head);
        }
        head.write(b);
      }
      String headText = head.toString(StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(headText.substring(9, 12));
      Answer answer = new Answer(status, headText, "");
      String length = answer.header("Content-Length");
      byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
      return new Answer(status, headText, new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream bytes) {
    byte[] b = bytes.toByteArray();
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  /** Writes one masked frame, as a client must. */
  public void sendFrame(boolean fin, int opcode, byte[] payload) {
    sendFrame(fin, 0, opcode, payload);
  }

  /** Writes one masked frame with the reserved bits {@code rsv} (RSV1 is 4). */
  public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i & 3]);
    }
    write(frame.toByteArray());
  }

  /** Sends one whole text message. */
  public void sendText(String text) {
    sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The next frame, or null when the server closed the connection (or it timed out). */
  public Frame readFrame() {
    try {
      int first = in.read();
      if (first < 0) {
        return null;
      }
      int second = in.read();
      long length = second & 0x7f;
      if (length == 126) {
        length = (in.read() << 8) | in.read();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | in.read();
        }
      }
      byte[] payload = in.readNBytes((int) length);
      return new Frame((first & 0x80) != 0, (first >> 4) & 0x7, first & 0x0f, payload);
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads frames up to and including a close frame; null when the connection ended without one. */
  public Frame readUntilClose() {
    Frame frame;
    while ((frame = readFrame()) != null) {
      if (frame.opcode() == CLOSE) {
        return frame;
      }
    }
    return null;
  }

  /** Whether the server has closed the connection: a read meets the end of the stream. */
  public boolean closedByServer() {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("reset");
    }
  }

  /** Writes {@code parts} in one go, so that one request leaves in one segment. */
  private void write(byte[]... parts) {
    try {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] part : parts) {
        all.write(part);
      }
      out.write(all.toByteArray());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (socket == null) {
      return;
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
