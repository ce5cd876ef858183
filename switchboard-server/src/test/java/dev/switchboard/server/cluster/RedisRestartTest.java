package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.redis.RedisHealth;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** Redis stopped and started again while both nodes publish: nothing crashes, delivery comes back. */
class RedisRestartTest {
  @Test
  void nodesSurviveARedisRestartUnderTrafficAndCrossNodeDeliveryResumes() throws Exception {
    ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
    try (RedisProcess redis = RedisProcess.start();
        Clients clients = new Clients();
        SwitchboardApp nodeA = ClusterTest.node(redis.uri(), Map.of());
        SwitchboardApp nodeB = ClusterTest.node(redis.uri(), Map.of())) {
      Socket localReader = clients.connect(nodeA.port(), "local");
      Socket remoteReader = clients.connect(nodeB.port(), "remote");
      join(localReader, "lobby");
      join(remoteReader, "lobby");
      AtomicInteger sent = new AtomicInteger();
      AtomicInteger lastLocal = new AtomicInteger(-1);
      AtomicInteger lastRemote = new AtomicInteger(-1);
      localReader.on("tick", args -> lastLocal.set((Integer) args[0]));
      remoteReader.on("tick", args -> lastRemote.set((Integer) args[0]));
      traffic.scheduleAtFixedRate(() -> nodeA.io().to("lobby").emit("tick", sent.incrementAndGet()), 0, 10, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> lastRemote.get() > 0);

      redis.kill();
      int atKill = sent.get();
      await().atMost(Duration.ofSeconds(5)).until(() -> lastLocal.get() > atKill + 50);
      RedisHealth health = nodeA.cluster().orElseThrow().health();
      await().atMost(Duration.ofSeconds(5)).until(health::down);
      assertThat(healthz(nodeA)).isEqualTo(200);
      assertThat(healthz(nodeB)).isEqualTo(200);
      int remoteDuringOutage = lastRemote.get();
      assertThat(remoteDuringOutage).isLessThanOrEqualTo(atKill + 5);

      redis.startAgain();
      long back = System.nanoTime();
      int atRestart = sent.get();
      await().atMost(Duration.ofSeconds(2)).until(() -> lastRemote.get() > atRestart);
      System.out.println("cross-node delivery resumed " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back)
          + " ms after Redis was back; errors counted: " + health.errors() + ", outages: " + health.outages());
      assertThat(health.outages()).isGreaterThanOrEqualTo(1);
      assertThat(health.errors()).isGreaterThan(0);

      // Presence is written again by the nodes' refresh after Redis lost everything.
      await().atMost(Duration.ofSeconds(5)).until(() -> presence(remoteReader).length() == 2);
      int localBefore = lastLocal.get();
      await().atMost(Duration.ofSeconds(2)).until(() -> lastLocal.get() > localBefore);
      traffic.shutdown();
      assertThat(traffic.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      traffic.shutdownNow();
    }
  }

  private static JSONArray presence(Socket socket) throws Exception {
    return call(socket, "presence:list", new JSONObject().put("room", "lobby")).getJSONArray("members");
  }

  private static int healthz(SwitchboardApp app) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/healthz"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
