package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.http.HttpServer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link SocketIoServer#listen(String, int)} binds the address it is given, and only that one. */
class ListenTest {
  @Test
  void listensOnTheGivenAddressOnly() throws IOException {
    Optional<InetAddress> other = nonLoopbackAddress();
    assumeTrue(other.isPresent(), "this machine has no non-loopback IPv4 address to try");
    try (SocketIoServer io = SocketIoServer.create(); HttpServer http = io.listen("127.0.0.1", 0)) {
      assertThat(http.host()).isEqualTo("127.0.0.1");
      try (Socket loopback = new Socket()) {
        loopback.connect(new InetSocketAddress("127.0.0.1", http.port()), 2000);
        assertThat(loopback.isConnected()).isTrue();
      }
      assertThatThrownBy(() -> {
        try (Socket outside = new Socket()) {
          outside.connect(new InetSocketAddress(other.get(), http.port()), 2000);
        }
      }).isInstanceOf(IOException.class);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(nic -> {
          try {
            return nic.isUp() && !nic.isLoopback();
          } catch (SocketException e) {
            return false;
          }
        })
        .flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
        .findFirst();
  }
}
