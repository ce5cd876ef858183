package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.engineio.Transport;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official Java client over every kernel interface the server offers: the WebSocket
 * handshake, polling and the upgrade, events, acks and room broadcasts behave the same.
 */
class NetworkTransportTest {
  private TestServer server;
  private JavaClients clients;

  @AfterEach
  void tearDown() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void ioUringLoopsGatherWritesInArraysWritevTakesWhole() {
    // Netty reads the size once, when its io_uring classes load: the enum must have set it by then.
    assumeTrue(NetworkTransport.IO_URING.available(), "io_uring is not offered here");
    assertThat(System.getProperty(NetworkTransport.IOVEC_ARRAY_PROPERTY))
        .isEqualTo(Integer.toString(NetworkTransport.IOV_MAX));
  }

  @ParameterizedTest
  @CsvSource({
      "EPOLL, WEBSOCKET", "EPOLL, POLLING", "EPOLL, POLLING_THEN_UPGRADE",
      "IO_URING, WEBSOCKET", "IO_URING, POLLING", "IO_URING, POLLING_THEN_UPGRADE",
      "NIO, WEBSOCKET", "NIO, POLLING", "NIO, POLLING_THEN_UPGRADE"})
  void eventsAcksAndBroadcasts(NetworkTransport transport, Mode mode) {
    // io_uring may be switched off by the kernel (io_uring_disabled) or a container's seccomp profile.
    assumeTrue(transport != NetworkTransport.IO_URING || transport.available(), "io_uring is not offered here");
    BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();
    server = TestServer.start(SocketIoOptions.defaults(), transport, io -> io.onConnection(socket -> {
      socket.join("room");
      connected.add(socket);
      socket.on("echo", event -> event.ack(event.args().text(0) + "!"));
      socket.on("shout", event -> io.to("room").emit("heard", event.args().text(0)));
    }));
    assertThat(server.transport()).as("the system offers " + transport).isEqualTo(transport);
    clients = new JavaClients(server.url());
    ClientRecorder client = clients.connected("/", mode);
    Socket socket = Await.take(connected);
    if (mode == Mode.POLLING_THEN_UPGRADE) {
      await().atMost(Duration.ofSeconds(10)).until(() -> socket.transport() == Transport.WEBSOCKET);
    }

    client.emitWithAck("echo", "echo", "hi");
    assertThat(client.awaitAck("echo").args()).isEqualTo(List.of("hi!"));
    client.socket().emit("shout", "hello");
    assertThat(client.awaitEvent("heard").args()).isEqualTo(List.of("hello"));
  }
}
