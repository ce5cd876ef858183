package dev.switchboard.sse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A bare TCP client: writes a request as given and reads the answer byte by byte. */
final class RawHttpClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  RawHttpClient(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.setSoTimeout(10_000);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    in = socket.getInputStream();
  }

  RawHttpClient send(String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads until {@code marker} has been seen; returns everything read. */
  String readUntil(String marker) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection ended before '" + marker + "'; got: " + seen.toString(StandardCharsets.UTF_8));
      }
      seen.write(b);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  /** Reads until the server ends the connection; returns what came. */
  String readToEnd() throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    try {
      in.transferTo(seen);
    } catch (java.net.SocketException reset) {
      // a reset ends the connection too
    }
    return seen.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
