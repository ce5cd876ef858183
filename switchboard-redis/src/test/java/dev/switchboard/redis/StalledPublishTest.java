package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.Keeping;
import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.testkit.redis.RedisProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Publishes sent to a hung Redis wait in its socket; when it wakes up it runs them. They must not
 * reach anyone then: their sender gave up on them long before (and its own members got them).
 * Another client of the same Redis, which never noticed the stall, listens to every channel.
 */
class StalledPublishTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @Test
  void publishesThatWaitedInAHungRedisAreNotCarriedWhenItWakesUp() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        RedisCluster cluster = RedisCluster.connect(RedisOptions.of(redis.uri()).withCommandTimeout(TIMEOUT));
        Listener listener = Listener.start(redis.port())) {
      cluster.adapter().publish(broadcast("before"));
      await().atMost(Duration.ofSeconds(5)).until(() -> listener.heard("before"));

      redis.pause();
      long pausedAt = System.nanoTime();
      List<CompletableFuture<?>> kept = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        cluster.adapter().publish(broadcast("stalled-" + i));
        kept.add(cluster.streams().orElseThrow().publish(broadcast("stalled-kept-" + i),
            new Keeping(Optional.empty(), Optional.of(Duration.ofMinutes(1)), false,
            ConnectionStateRecovery.DEFAULT_MAX_BYTES)));
      }
      await().atMost(TIMEOUT.multipliedBy(3)).until(() -> cluster.health().down());
      for (CompletableFuture<?> publish : kept) {
        await().atMost(TIMEOUT.multipliedBy(3)).until(publish::isDone);
        assertThat(publish).isCompletedExceptionally();
      }
      // Asleep for longer than the deadline of what it holds.
      await().pollDelay(TIMEOUT.multipliedBy(2).minusNanos(System.nanoTime() - pausedAt)).until(() -> true);
      redis.resume();

      await().atMost(Duration.ofSeconds(10)).until(() -> {
        cluster.adapter().publish(broadcast("after"));
        return listener.heard("after");
      });
      assertThat(listener.heard("stalled-")).as("what Redis got before it hung, carried when it woke up: %s",
          listener.text()).isFalse();
      assertThat(cluster.health().lostBroadcasts()).isGreaterThanOrEqualTo(10);
    }
  }

  private static ClusterBroadcast broadcast(String text) {
    byte[] args = ("[\"" + text + "\"]").getBytes(StandardCharsets.UTF_8);
    return new ClusterBroadcast("/", "tick", args, List.of(), List.of("lobby"), Set.of(), false, true);
  }

  /** A plain Redis client subscribed to every channel, keeping what it hears as text. */
  private static final class Listener implements AutoCloseable {
    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private Listener(Socket socket) {
      this.socket = socket;
    }

    static Listener start(int port) throws IOException {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.getOutputStream().write("PSUBSCRIBE *\r\n".getBytes(StandardCharsets.US_ASCII));
      Listener listener = new Listener(socket);
      Thread reader = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try (InputStream in = socket.getInputStream()) {
          int read;
          while ((read = in.read(buffer)) > 0) {
            synchronized (listener.received) {
              listener.received.write(buffer, 0, read);
            }
          }
        } catch (IOException e) {
          // closed
        }
      }, "redis-listener");
      reader.setDaemon(true);
      reader.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> listener.heard("psubscribe"));
      return listener;
    }

    boolean heard(String text) {
      return text().contains(text);
    }

    String text() {
      synchronized (received) {
        return received.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
