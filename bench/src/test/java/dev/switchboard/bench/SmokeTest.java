package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.scenario.Scenario;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario, tiny, against a real Switchboard child process: each must print one
 * well-formed JSON line with sane numbers. Keeps the harness from rotting; measures nothing.
 */
@Timeout(60)
class SmokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void idleHoldsEveryConnection() throws Exception {
    JsonNode line = run("idle", "--connections", "40", "--rate", "400", "--hold", "1", "--settle", "0.2");
    assertThat(line.get("connected").asInt()).isEqualTo(40);
    assertThat(line.get("failed").asInt()).isZero();
    assertThat(line.get("dropped").asInt()).isZero();
    assertThat(line.get("openAfterHold").asInt()).isEqualTo(40);
    assertThat(line.get("serverRssMb").asDouble()).isPositive();
    assertThat(line.get("serverAlive").asBoolean()).isTrue();
  }

  @Test
  void clusterIdleSpreadsConnectionsOverNodesAndLoadGenerators() throws Exception {
    assumeRedisServer();
    JsonNode line = run("idle", "--nodes", "2", "--redis", "--client-processes", "2", "--connections", "200",
        "--rate", "400", "--hold", "1", "--settle", "0.2");
    assertThat(line.get("clientProcesses").asInt()).isEqualTo(2);
    assertThat(line.get("redis").asBoolean()).isTrue();
    assertThat(line.get("connected").asInt()).isEqualTo(200);
    assertThat(line.get("failed").asInt()).isZero();
    assertThat(line.get("dropped").asInt()).isZero();
    assertThat(line.get("openAfterHold").asInt()).isEqualTo(200);
    assertThat(line.get("connectedByNode")).hasSize(2);
    assertThat(line.get("connectedByNode").get(0).asInt()).isEqualTo(100);
    assertThat(line.get("serverRssMbByNode")).hasSize(2);
    assertThat(line.get("redisRssMb").asDouble()).isPositive();
    assertThat(line.get("loadGenRssMb").asDouble()).isPositive();
    assertThat(line.get("serverAlive").asBoolean()).isTrue();
  }

  @Test
  void fanoutDeliversEveryPublishToEverySubscriber() throws Exception {
    JsonNode line = run("fanout", "--subscribers", "20", "--rate", "20", "--duration", "1", "--warmup", "0.5");
    assertThat(line.get("joined").asInt()).isEqualTo(20);
    assertThat(line.get("published").asLong()).isEqualTo(20);
    assertThat(line.get("delivered").asLong()).isEqualTo(400);
    assertThat(line.get("lost").asLong()).isZero();
    assertLatencies(line, 400);
    assertThat(line.get("serverCpuUsPerDelivery").asDouble()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void presenceRunsWithEventsThenWithDiffs() throws Exception {
    JsonNode line = run("presence", "--members", "20", "--churners", "4", "--churn-rate", "20", "--rate", "20",
        "--duration", "1", "--warmup", "0.5", "--presence-diff-interval", "100");
    for (String run : new String[] {"events", "diffs"}) {
      JsonNode measured = line.get(run);
      assertThat(measured.get("joined").asInt()).as(run).isEqualTo(20);
      assertThat(measured.get("published").asLong()).as(run).isEqualTo(20);
      assertThat(measured.get("delivered").asLong()).as(run).isEqualTo(400);
      assertThat(measured.get("lost").asLong()).as(run).isZero();
      assertThat(measured.get("presenceFramesPerSec").asDouble()).as(run).isPositive();
    }
    assertThat(line.get("events").get("membersAskDiffs").asBoolean()).isFalse();
    assertThat(line.get("diffs").get("membersAskDiffs").asBoolean()).isTrue();
  }

  @Test
  void fanoutWithTheMsgpackParserDeliversEveryPublish() throws Exception {
    JsonNode line = run("fanout", "--subscribers", "20", "--rate", "20", "--duration", "1", "--warmup", "0.5",
        "--parser", "msgpack");
    assertThat(line.get("parser").asText()).isEqualTo("msgpack");
    assertThat(line.get("joined").asInt()).isEqualTo(20);
    assertThat(line.get("delivered").asLong()).isEqualTo(400);
    assertThat(line.get("lost").asLong()).isZero();
    assertLatencies(line, 400);
  }

  @Test
  void sseFanoutDeliversEveryPublishToEveryStream() throws Exception {
    JsonNode line = run("sse-fanout", "--subscribers", "20", "--rate", "20", "--duration", "1", "--warmup", "0.5");
    assertThat(line.get("connected").asInt()).isEqualTo(20);
    assertThat(line.get("delivered").asLong()).isEqualTo(400);
    assertThat(line.get("lost").asLong()).isZero();
    assertLatencies(line, 400);
  }

  @Test
  void writeDelayIsPassedToTheServerAndRecorded() throws Exception {
    JsonNode line = run("fanout", "--subscribers", "10", "--rate", "50", "--duration", "1", "--warmup", "0.5",
        "--write-delay", "5");
    assertThat(line.get("writeDelayMs").asInt()).isEqualTo(5);
    assertThat(line.get("lost").asLong()).isZero();
    assertLatencies(line, 500);
  }

  @Test
  void crossNodeFanoutDeliversThroughRedis() throws Exception {
    assumeRedisServer();
    JsonNode line = run("fanout", "--nodes", "2", "--subscribers", "20", "--rate", "20", "--duration", "1", "--warmup", "0.5");
    assertThat(line.get("nodes").asInt()).isEqualTo(2);
    assertThat(line.get("redis").asBoolean()).isTrue();
    assertThat(line.get("joined").asInt()).isEqualTo(20);
    assertThat(line.get("delivered").asLong()).isEqualTo(400);
    assertThat(line.get("lost").asLong()).isZero();
    assertThat(line.get("serverCpuUsPerDeliveryByNode")).hasSize(2);
    assertThat(line.get("serverRssMbByNode")).hasSize(2);
    assertLatencies(line, 400);
  }

  @Test
  void sweepStepsUpTheRateOnOneRedisNode() throws Exception {
    assumeRedisServer();
    JsonNode line = run("fanout", "--nodes", "1", "--redis", "--sweep", "--subscribers", "10", "--rate", "20",
        "--max-steps", "2", "--duration", "0.5", "--warmup", "0.3", "--drain", "2");
    assertThat(line.get("redis").asBoolean()).isTrue();
    assertThat(line.get("sweep").asBoolean()).isTrue();
    JsonNode steps = line.get("steps");
    assertThat(steps.size()).isBetween(1, 2);
    assertThat(steps.get(0).get("rate").asDouble()).isEqualTo(20);
    assertThat(line.get("maxDeliveredPerSec").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(line.get("delivered").asLong()).isEqualTo(line.get("expected").asLong());
  }

  @Test
  void closedLoopEchoWithTheMsgpackParserCompletesRoundTrips() throws Exception {
    JsonNode line = run("echo", "--mode", "closed", "--clients", "5", "--duration", "1", "--warmup", "0.5",
        "--parser", "msgpack");
    assertThat(line.get("parser").asText()).isEqualTo("msgpack");
    assertThat(line.get("acks").asLong()).isPositive();
    assertLatencies(line, line.get("acks").asLong());
  }

  @Test
  void closedLoopEchoCompletesRoundTrips() throws Exception {
    JsonNode line = run("echo", "--mode", "closed", "--clients", "5", "--duration", "1", "--warmup", "0.5");
    assertThat(line.get("connected").asInt()).isEqualTo(5);
    assertThat(line.get("acks").asLong()).isPositive();
    assertLatencies(line, line.get("acks").asLong());
  }

  @Test
  void openLoopEchoAnswersEverySend() throws Exception {
    JsonNode line = run("echo", "--mode", "open", "--clients", "5", "--rate", "200", "--duration", "1", "--warmup", "0.5");
    assertThat(line.get("sent").asLong()).isEqualTo(200);
    assertThat(line.get("acks").asLong()).isEqualTo(200);
    assertThat(line.get("lost").asLong()).isZero();
    assertLatencies(line, 200);
  }

  @Test
  void profileSamplesTheServerDuringTheWindow(@TempDir Path profiles) throws Exception {
    JsonNode line = run("fanout", "--subscribers", "20", "--rate", "50", "--duration", "1", "--warmup", "0.5",
        "--profile", profiles.toString());
    assertThat(line.get("lost").asLong()).isZero();
    Path summary = profiles.resolve(line.get("profile").asText());
    assertThat(summary).exists();
    assertThat(Files.readString(summary)).contains("samples of server CPU", "By thread", "Inside the event loops");
    assertThat(profiles.resolve(summary.getFileName().toString().replace(".txt", ".collapsed"))).isNotEmptyFile();
  }

  @Test
  void floorMovesEveryMessage() throws Exception {
    JsonNode line = run("floor", "--sockets", "50", "--frames-per-write", "4", "--messages", "20000", "--max-seconds", "10");
    assertThat(line.get("messages").asLong()).isEqualTo(20000);
    assertThat(line.get("received").asLong()).isEqualTo(20000);
    assertThat(line.get("senderCpuUsPerMessage").asDouble()).isPositive().isLessThan(1000);
  }

  @Test
  void soakCountsEveryStayerMessageAndSeesTheServerReapSilentChurners() throws Exception {
    // A pool of 39 churners full within a second, then ends for five: a fifth go silent, reaped within two.
    JsonNode line = run("soak", "--connections", "60", "--stayers", "20", "--rooms", "2", "--rate", "10",
        "--churn-rate", "40", "--duration", "6", "--warmup", "2", "--client-processes", "2", "--ping-interval", "1000",
        "--ping-timeout", "1000", "--silent-percent", "20", "--heap-interval", "3", "--settle", "10");
    assertThat(line.get("stayersConnected").asInt()).isEqualTo(20);
    assertThat(line.get("published").asLong()).isEqualTo(120);
    assertThat(line.get("stayerExpected").asLong()).isEqualTo(1200);
    assertThat(line.get("stayerReceived").asLong()).isEqualTo(1200);
    assertThat(line.get("stayerLost").asLong()).isZero();
    assertThat(line.get("stayerDuplicates").asLong()).isZero();
    assertThat(line.get("churnConnects").asLong()).isPositive();
    assertThat(line.get("silentDrops").asLong()).isPositive();
    assertThat(line.get("reapedByServer").asLong()).isPositive();
    assertThat(line.get("churnerUnexpectedCloses").asLong()).isZero();
    assertThat(line.get("rssEndMb").asDouble()).isPositive();
    assertThat(line.get("heapEndMb").asDouble()).isPositive();
    assertThat(line.get("fdsEnd").asLong()).isEqualTo(line.get("fdsBaseline").asLong());
    assertThat(line.get("samples").size()).isGreaterThan(1);
  }

  private static JsonNode run(String scenario, String... options) throws Exception {
    String printed = Scenario.named(scenario).run(Options.of(options)).toString();
    assertThat(printed).doesNotContain("\n").startsWith("{").endsWith("}");
    JsonNode line = JSON.readTree(printed);
    assertThat(line.get("scenario").asText()).isEqualTo(scenario);
    assertThat(line.get("cores").asInt()).isPositive();
    return line;
  }

  /** Cross-node runs start their own redis-server: skipped where there is none (CI has one). */
  private static void assumeRedisServer() {
    boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "redis-server")));
    assumeTrue(found, "redis-server is not on the PATH");
  }

  private static void assertLatencies(JsonNode line, long count) {
    assertThat(line.get("latencyCount").asLong()).isEqualTo(count);
    double p50 = line.get("latencyP50Us").asDouble();
    double p99 = line.get("latencyP99Us").asDouble();
    double max = line.get("latencyMaxUs").asDouble();
    assertThat(p50).isPositive();
    assertThat(p99).isGreaterThanOrEqualTo(p50);
    assertThat(max).isGreaterThanOrEqualTo(p99).isLessThan(30_000_000);
  }
}
