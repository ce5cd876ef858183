package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.redis.RedisHealth;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONException;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * A Redis that answers late is not a hung one: while what it sends reaches the node later and later,
 * well after the command timeout, but steadily, the node keeps its connections (none is made again) and
 * only the commands whose own timeout passed fail; once the link is fast again, publishes succeed.
 * This is also what a node too busy to read Redis in time looks like from inside: late, not silent.
 */
class RedisSlowLinkTest {
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);
  /** Longer than the timeout: every command sent while the link is slow times out, and so would a ping. */
  private static final Duration LATENCY = REDIS_TIMEOUT.multipliedBy(3).dividedBy(2);
  private static final Map<String, String> SETTINGS =
      Map.of("redis-timeout", REDIS_TIMEOUT.toMillis() + "ms", "event-rate", "0", "user-event-rate", "0");

  private final AtomicInteger numbers = new AtomicInteger();

  @Test
  void aRedisThatAnswersLateButSteadilyKeepsItsConnections() throws Exception {
    ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    try (RedisProcess redis = RedisProcess.start();
        ConnectionProxy link = ConnectionProxy.following(redis.port());
        Clients clients = new Clients();
        SwitchboardApp node = ClusterTest.node("redis://127.0.0.1:" + link.port(), SETTINGS)) {
      Socket sender = clients.connect(node.port(), "sender");
      join(sender, "lobby");
      assertThat(publish(sender).join().optBoolean("ok")).isTrue();
      RedisHealth health = node.cluster().orElseThrow().health();
      int connections = link.connectionsTo(0);
      long errorsBefore = health.errors();

      // The answers fall behind at half the pace of time, as a backlog grows (a step from fast to
      // slow would be a silence as long as the step: a hang, for as long as it lasts).
      long slowFrom = System.nanoTime();
      publisher.scheduleAtFixedRate(() -> {
        link.delayAnswers(Duration.ofNanos(Math.min(LATENCY.toNanos(), (System.nanoTime() - slowFrom) / 2)));
        publish(sender);
      }, 0, 50, TimeUnit.MILLISECONDS);
      // Commands time out once the answers are a timeout late; the node must go on with the
      // connections it has through several timeouts (each one a check of the server).
      await().atMost(REDIS_TIMEOUT.multipliedBy(4)).until(() -> health.errors() > errorsBefore);
      await().during(REDIS_TIMEOUT.multipliedBy(3)).atMost(REDIS_TIMEOUT.multipliedBy(4))
          .until(() -> link.connectionsTo(0) == connections);
      long timedOut = health.errors() - errorsBefore;
      long slowFor = System.nanoTime() - slowFrom;

      publisher.shutdown();
      assertThat(publisher.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      link.delayAnswers(Duration.ZERO);
      // What is on its way arrives within the latency; then publishes are answered at once again.
      await().atMost(LATENCY.multipliedBy(4)).until(() -> publish(sender).join().optBoolean("ok"));
      System.out.printf("slow link: %d ms of answers %d ms late, %d commands timed out, connections made again: %d%n",
          TimeUnit.NANOSECONDS.toMillis(slowFor), LATENCY.toMillis(), timedOut, link.connectionsTo(0) - connections);
      assertThat(timedOut).as("commands timed out while the link was slow").isGreaterThan(10);
      assertThat(link.connectionsTo(0)).as("no connection to Redis was dropped and made again").isEqualTo(connections);
    } finally {
      publisher.shutdownNow();
    }
  }

  /** Publishes the next number to the lobby; its answer, whatever it says. */
  private CompletableFuture<JSONObject> publish(Socket sender) {
    CompletableFuture<JSONObject> answer = new CompletableFuture<>();
    try {
      JSONObject message = new JSONObject().put("room", "lobby").put("event", "tick")
          .put("data", new JSONObject().put("n", numbers.incrementAndGet()));
      sender.emit("room:publish", new Object[] {message}, args -> answer.complete((JSONObject) args[0]));
    } catch (JSONException e) {
      answer.completeExceptionally(e);
    }
    return answer.orTimeout(10, TimeUnit.SECONDS);
  }
}
