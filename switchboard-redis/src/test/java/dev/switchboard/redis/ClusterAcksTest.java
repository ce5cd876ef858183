package dev.switchboard.redis;

import static dev.switchboard.redis.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Ack;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Broadcasts with acknowledgements and server-side events across nodes sharing a Redis of the test's own. */
class ClusterAcksTest {
  private RedisProcess redis;
  private TestNode nodeA;
  private TestNode nodeB;
  private TestNode nodeC;
  private final Clients clients = new Clients();

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
    nodeA = TestNode.clustered(redis.uri());
    nodeB = TestNode.clustered(redis.uri());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      clients.close();
      for (TestNode node : new TestNode[] {nodeA, nodeB, nodeC}) {
        if (node != null) {
          node.close();
        }
      }
    } finally {
      redis.close();
    }
  }

  @Test
  void broadcastWithAckCollectsTheAnswersOfEveryNode() throws Exception {
    Socket onA = answering(nodeA.port(), "ada", "poll");
    Socket onB = answering(nodeB.port(), "bob", "poll");
    Socket alsoOnB = answering(nodeB.port(), "cid", "poll");
    answering(nodeB.port(), "outsider", "elsewhere");

    List<Args> answers = nodeA.io().to("poll").timeout(Duration.ofSeconds(5)).emitWithAck("vote", "which?")
        .get(10, TimeUnit.SECONDS);
    assertThat(answers).extracting(args -> args.text(0))
        .containsExactlyInAnyOrder("ada:which?", "bob:which?", "cid:which?");

    // From the other side, with an exception: the member on A is skipped.
    answers = nodeB.io().to("poll").except(onA.id()).timeout(Duration.ofSeconds(5)).emitWithAck("vote", "again")
        .get(10, TimeUnit.SECONDS);
    assertThat(answers).extracting(args -> args.text(0)).containsExactlyInAnyOrder("bob:again", "cid:again");

    // A socket's own broadcast skips it; local() stays on the node.
    assertThat(nodeA.io().to("poll").local().timeout(Duration.ofSeconds(5)).emitWithAck("vote", "here")
        .get(10, TimeUnit.SECONDS)).extracting(args -> args.text(0)).containsExactly("ada:here");
    assertThat(onB.connected() && alsoOnB.connected()).isTrue();
  }

  @Test
  void aSocketThatDoesNotAnswerEndsInATimeoutWithTheAnswersThatCame() throws Exception {
    answering(nodeA.port(), "ada", "poll");
    answering(nodeB.port(), "bob", "poll");
    Socket silent = clients.connect(nodeB.port(), "silent");
    join(silent, "poll");
    BlockingQueue<Object[]> silentGot = new LinkedBlockingQueue<>();
    silent.on("vote", silentGot::add);

    long started = System.nanoTime();
    CompletableFuture<List<Args>> result = nodeA.io().to("poll").timeout(Duration.ofMillis(800)).emitWithAck("vote", "q");
    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(AckTimeoutException.class)
        .hasMessageContaining("2 of 3");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    AckTimeoutException timeout = (AckTimeoutException) result.exceptionNow();
    assertThat(timeout.received()).extracting(args -> args.text(0)).containsExactlyInAnyOrder("ada:q", "bob:q");
    assertThat(tookMs).as("waited for the timeout").isGreaterThanOrEqualTo(750);
    assertThat(silentGot.poll(5, TimeUnit.SECONDS)).as("the silent socket got the event").isNotNull();
  }

  @Test
  void serverSideEventsReachTheOtherNodesAndTheirAnswersComeBack() throws Exception {
    nodeC = TestNode.clustered(redis.uri());
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    nodeA.io().onServerEvent("hello", event -> heard.add("A:" + event.args().text(0)));
    nodeB.io().onServerEvent("hello", event -> heard.add("B:" + event.args().text(0) + ":" + event.hasAck()));
    nodeC.io().onServerEvent("hello", event -> heard.add("C:" + event.args().text(0)));
    nodeB.io().onServerEvent("ping", event -> event.ack("pong from B", event.args().get(0).intValue() + 1));
    nodeC.io().onServerEvent("ping", event -> event.ack("pong from C", event.args().get(0).intValue() + 2));

    nodeA.io().serverSideEmit("hello", "world");
    assertThat(List.of(heard.poll(5, TimeUnit.SECONDS), heard.poll(5, TimeUnit.SECONDS)))
        .containsExactlyInAnyOrder("B:world:false", "C:world");

    List<Args> answers = nodeA.io().serverSideEmitWithAck("ping", 40).get(10, TimeUnit.SECONDS);
    assertThat(answers).extracting(args -> args.text(0) + "=" + args.get(1).intValue())
        .containsExactlyInAnyOrder("pong from B=41", "pong from C=42");
    // Node A listens for "hello" too, but does not hear its own event; B heard one "hello" only.
    nodeB.io().serverSideEmit("hello", "back");
    assertThat(List.of(heard.poll(5, TimeUnit.SECONDS), heard.poll(5, TimeUnit.SECONDS)))
        .containsExactlyInAnyOrder("A:back", "C:back");
    assertThat(heard).isEmpty();
  }

  @Test
  void aNodeThatDoesNotAnswerAServerSideEventEndsInATimeout() throws Exception {
    nodeC = TestNode.clustered(redis.uri());
    nodeB.io().onServerEvent("count", event -> event.ack(7));
    BlockingQueue<Object> ignored = new LinkedBlockingQueue<>();
    nodeC.io().onServerEvent("count", ignored::add);

    CompletableFuture<List<Args>> result = nodeA.io().serverSideEmitWithAck(Duration.ofMillis(600), "count");
    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(AckTimeoutException.class);
    assertThat(((AckTimeoutException) result.exceptionNow()).received()).extracting(args -> args.get(0).intValue())
        .containsExactly(7);
    assertThat(ignored.poll(5, TimeUnit.SECONDS)).as("node C heard it").isNotNull();

    // Nodes without a listener are not waited for.
    assertThat(nodeA.io().serverSideEmitWithAck(Duration.ofSeconds(5), "nobody-listens").get(10, TimeUnit.SECONDS)).isEmpty();
    assertThatThrownBy(() -> nodeA.io().serverSideEmit("disconnect")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> nodeA.io().onServerEvent("connection", event -> {})).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutRedisTheAnswersOfThisNodeStillCome() throws Exception {
    answering(nodeA.port(), "ada", "poll");
    answering(nodeB.port(), "bob", "poll");
    nodeB.io().onServerEvent("ping", event -> event.ack("pong"));
    redis.kill();
    await().atMost(Duration.ofSeconds(5)).until(nodeA.cluster().orElseThrow().health()::down);

    long started = System.nanoTime();
    List<Args> answers = nodeA.io().to("poll").timeout(Duration.ofSeconds(5)).emitWithAck("vote", "offline")
        .get(10, TimeUnit.SECONDS);
    assertThat(answers).extracting(args -> args.text(0)).containsExactly("ada:offline");
    assertThat(nodeA.io().serverSideEmitWithAck(Duration.ofSeconds(5), "ping").get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("no wait for unreachable nodes").isLessThan(4000);
  }

  /** A client of {@code user} in {@code room} that acknowledges "vote" with "user:question". */
  private Socket answering(int port, String user, String room) throws Exception {
    Socket socket = clients.connect(port, user);
    join(socket, room);
    socket.on("vote", args -> ((Ack) args[args.length - 1]).call(user + ":" + args[0]));
    return socket;
  }
}
