package dev.switchboard.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client that stops reading is cut at its outbound budget; the others get everything. */
class SlowConsumerTest {
  private static final int BUDGET = 256 * 1024;
  private static final int MESSAGE_BYTES = 64 * 1024;
  private static final int MESSAGES = 300;

  private TestServer server;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Map<String, DisconnectReason> reasons = new ConcurrentHashMap<>();
  private final Map<String, String> descriptions = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aStalledReaderIsClosedAsASlowConsumerWhileOthersReceiveEverything() throws Exception {
    SocketIoOptions options = SocketIoOptions.builder()
        .engine(SocketIoOptions.defaults().engine().mutate().maxBufferedBytes(BUDGET).build())
        .meterRegistry(registry)
        .build();
    server = TestServer.start(options, io -> io.onConnection(socket -> {
      socket.join("feed");
      socket.onDisconnect((reason, description) -> {
        descriptions.put(socket.id(), description);
        reasons.put(socket.id(), reason);
      });
    }));

    try (java.net.Socket stalled = openStalledWebSocket()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> server.io().sockets().size() == 1);
      String stalledId = server.io().sockets().keySet().iterator().next();

      AtomicInteger received = new AtomicInteger();
      CountDownLatch all = new CountDownLatch(MESSAGES);
      IO.Options clientOptions = IO.Options.builder().setForceNew(true).setTransports(new String[] {"websocket"}).build();
      Socket good = IO.socket(URI.create(server.url()), clientOptions);
      CountDownLatch connected = new CountDownLatch(1);
      good.on(Socket.EVENT_CONNECT, args -> connected.countDown());
      good.on("chunk", args -> {
        received.incrementAndGet();
        all.countDown();
      });
      good.connect();
      try {
        assertThat(connected.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.io().sockets().size() == 2);

        // Paced by the reading client (two messages ahead at most): it stays within the budget,
        // while everything piles up for the stalled one.
        String payload = "x".repeat(MESSAGE_BYTES);
        for (int i = 0; i < MESSAGES; i++) {
          int sent = i;
          await().atMost(Duration.ofSeconds(10)).until(() -> received.get() >= sent - 2);
          server.io().to("feed").emit("chunk", payload);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> reasons.get(stalledId) == DisconnectReason.SLOW_CONSUMER);
        assertThat(all.await(20, TimeUnit.SECONDS)).as("the reading client got all %d messages", MESSAGES).isTrue();
        assertThat(received.get()).isEqualTo(MESSAGES);
        assertThat(reasons).doesNotContainKey(good.id());

        // What the stalled reader held in the server's outbound buffer when it was cut: the
        // budget plus at most the one message whose write crossed it (kernel buffers aside).
        String description = descriptions.get(stalledId);
        long held = Long.parseLong(description.substring(0, description.indexOf(' ')));
        System.out.printf("stalled reader cut holding %d outbound bytes (budget %d)%n", held, BUDGET);
        assertThat(held).isGreaterThan(BUDGET).isLessThanOrEqualTo(BUDGET + MESSAGE_BYTES + 64);
        assertThat(registry.get("switchboard.slow.consumers").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("switchboard.disconnects").tag("reason", "slow consumer").functionCounter().count()).isEqualTo(1);
      } finally {
        good.close();
      }
    }
  }

  @Test
  void volatileBroadcastsAStalledReaderCannotTakeAreDroppedAndCounted() throws Exception {
    server = TestServer.start(SocketIoOptions.builder().meterRegistry(registry).build(),
        io -> io.onConnection(socket -> socket.join("feed")));
    try (java.net.Socket stalled = openStalledWebSocket()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> server.io().sockets().size() == 1);
      String payload = "x".repeat(MESSAGE_BYTES);
      // Past the connection's write buffer (64 KiB) and the kernel's, nothing more can leave at once.
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        server.io().to("feed").asVolatile().emit("chunk", payload);
        return registry.get("switchboard.volatile.dropped").functionCounter().count() >= 1;
      });
      assertThat(registry.get("switchboard.deliveries").functionCounter().count())
          .isGreaterThan(registry.get("switchboard.volatile.dropped").functionCounter().count());
    }
  }

  /** Completes a WebSocket handshake and joins "/", then never reads again. */
  private java.net.Socket openStalledWebSocket() throws IOException {
    java.net.Socket socket = new java.net.Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), 5000);
    socket.setSoTimeout(5000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + server.port() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the handshake");
      }
      head.write(b);
    }
    assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    out.write(maskedTextFrame("40"));
    out.flush();
    return socket;
  }

  private static byte[] maskedTextFrame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    byte[] mask = {1, 2, 3, 4};
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }
}
