package dev.switchboard.server.cluster;

import static dev.switchboard.testkit.JavaClients.connectNow;
import static dev.switchboard.testkit.JavaClients.emitWithAck;
import static dev.switchboard.testkit.JavaClients.inbox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long-polling without sticky sessions: two nodes on one Redis, and clients whose HTTP requests
 * reach either node (a round-robin proxy, one connection per request). Requests for a session of
 * the other node are served by that node through Redis.
 */
class PollingAcrossNodesTest {
  private static final String PATH = "/socket.io/";

  private RedisProcess redis;
  private SwitchboardApp nodeA;
  private SwitchboardApp nodeB;
  private ConnectionProxy proxy;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<Socket> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A node in open mode that echoes "echo" and reports disconnections to the room "observers". */
  static SwitchboardApp node(String redisUri) {
    return node(redisUri, Map.of("ping-interval", "300ms", "ping-timeout", "2s"));
  }

  static SwitchboardApp node(String redisUri, Map<String, String> extra) {
    ConfigValues values = TestApps.values(Map.of("demo", "false", "redis", redisUri));
    extra.forEach((key, value) -> values.set(key, value, "test"));
    SwitchboardApp app = SwitchboardApp.start(ServerConfig.from(values));
    app.io().onConnection(socket -> {
      socket.on("echo", event -> {
        Object[] args = event.args().toArray();
        event.ack(args);
        socket.emit("echoed", args);
      });
      socket.onDisconnect((reason, description) -> app.io().to("observers").emit("gone", socket.id(), reason.text()));
    });
    return app;
  }

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
    nodeA = node(redis.uri());
    nodeB = node(redis.uri());
    proxy = ConnectionProxy.roundRobin(nodeA.port(), nodeB.port());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      clients.forEach(Socket::close);
      proxy.close();
      nodeA.close();
      nodeB.close();
    } finally {
      redis.close();
    }
  }

  @Test
  void nodeClientPollingThroughAlternatingNodesWorksEndToEnd() {
    NodeRunner.Result result = NodeRunner.runTest("cluster/polling.test.mjs", Map.of(
        "SWITCHBOARD_URL", proxy.url(),
        "SWITCHBOARD_URL_A", "http://127.0.0.1:" + nodeA.port(),
        "SWITCHBOARD_URL_B", "http://127.0.0.1:" + nodeB.port()), Duration.ofSeconds(90));
    assertThat(result.exitCode())
        .as("node --test cluster/polling.test.mjs failed; its output:%n%s", result.outputText())
        .isZero();
    assertThat(proxy.connectionsTo(0)).as("requests to node A").isGreaterThan(20);
    assertThat(proxy.connectionsTo(1)).as("requests to node B").isGreaterThan(20);
  }

  @Test
  void javaClientPollingThroughAlternatingNodesWorksEndToEnd() throws Exception {
    Socket socket = pollingClient(proxy.url(), clients);
    connectNow(socket);
    BlockingQueue<Object[]> echoed = inbox(socket, "echoed");
    for (int i = 0; i < 10; i++) {
      Object[] ack = emitWithAck(socket, "echo", new JSONObject().put("i", i));
      assertThat(((JSONObject) ack[0]).getInt("i")).isEqualTo(i);
      assertThat(((JSONObject) echoed.poll(5, TimeUnit.SECONDS)[0]).getInt("i")).isEqualTo(i);
    }
    byte[] bytes = {0, 1, 2, (byte) 250, (byte) 255};
    assertThat((byte[]) emitWithAck(socket, "echo", (Object) bytes)[0]).isEqualTo(bytes);

    BlockingQueue<Object[]> news = inbox(socket, "news"); // with the room's offset as last argument
    JSONObject joined = (JSONObject) emitWithAck(socket, "room:join", new JSONObject().put("room", "lobby"))[0];
    assertThat(joined.getBoolean("ok")).isTrue();
    nodeA.io().to("lobby").emit("news", "from A");
    assertThat(news.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("from A");
    nodeB.io().to("lobby").emit("news", "from B");
    assertThat(news.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("from B");

    socket.disconnect();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> nodeA.io().connectionCount() + nodeB.io().connectionCount() == 0);
    assertThat(proxy.connectionsTo(0)).as("requests to node A").isGreaterThan(10);
    assertThat(proxy.connectionsTo(1)).as("requests to node B").isGreaterThan(10);
  }

  @Test
  void aSessionIdNoLiveNodeOwnsIsUnknown() throws Exception {
    String sidOfB = handshake(nodeB.port());
    String tagOfB = sidOfB.substring(sidOfB.lastIndexOf('.'));
    for (String sid : List.of("AAAAAAAAAAAAAAAAAAAA.gone1234", "AAAAAAAAAAAAAAAAAAAA" + tagOfB, "no-tag-at-all")) {
      for (String method : List.of("GET", "POST")) {
        HttpResponse<String> answer = http.send(pollRequest(nodeA.port(), sid)
            .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("3"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(method + " " + sid).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
      }
    }
  }

  @Test
  void aWebSocketUpgradeOnAnotherNodeIsRefusedAndPollingGoesOn() throws Exception {
    String sid = handshake(nodeA.port());
    CompletableFuture<WebSocket> upgrade = http.newWebSocketBuilder().buildAsync(
        URI.create("ws://127.0.0.1:" + nodeB.port() + PATH + "?EIO=4&transport=websocket&sid=" + sid),
        new WebSocket.Listener() {});
    assertThat(upgrade).failsWithin(Duration.ofSeconds(5));
    HttpResponse<String> post = http.send(pollRequest(nodeB.port(), sid)
        .POST(HttpRequest.BodyPublishers.ofString("40")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.body()).isEqualTo("ok");
    HttpResponse<String> get = http.send(pollRequest(nodeB.port(), sid).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).startsWith("40{\"sid\":");
  }

  @Test
  void aSecondConcurrentPollOnAnotherNodeIsADuplicatePollThatClosesTheSession() throws Exception {
    String sid = handshake(nodeA.port());
    CompletableFuture<HttpResponse<String>> local = http.sendAsync(pollRequest(nodeA.port(), sid).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> forwarded = http.sendAsync(pollRequest(nodeB.port(), sid).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    List<HttpResponse<String>> answers = List.of(local.get(5, TimeUnit.SECONDS), forwarded.get(5, TimeUnit.SECONDS));
    // Whichever came second is the duplicate; the first is ended with the close packet.
    assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 400);
    assertThat(answers).extracting(HttpResponse::body)
        .containsExactlyInAnyOrder("1", "{\"code\":3,\"message\":\"Bad request\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.io().connectionCount() == 0);
  }

  @Test
  void aForwardedPollWhoseClientGoesAwayEndsTheSessionAtItsOwner() throws Exception {
    Socket observer = websocketClient(nodeA.port());
    connectNow(observer);
    assertThat(((JSONObject) emitWithAck(observer, "room:join", new JSONObject().put("room", "observers"))[0])
        .getBoolean("ok")).isTrue();
    BlockingQueue<Object[]> gone = inbox(observer, "gone");
    String sid = handshake(nodeA.port());
    assertThat(http.send(pollRequest(nodeA.port(), sid).POST(HttpRequest.BodyPublishers.ofString("40")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
    String connected = http.send(pollRequest(nodeA.port(), sid).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    String socketId = new JSONObject(connected.substring(2)).getString("sid");

    try (java.net.Socket raw = new java.net.Socket(InetAddress.getLoopbackAddress(), nodeB.port())) {
      awaitForwardedGet(sid, () -> {
        OutputStream out = raw.getOutputStream();
        out.write(("GET " + PATH + "?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      });
    }
    // Well before the ping timeout (300 ms + 2 s), and as a transport error: the owner was told.
    Object[] event = gone.poll(2, TimeUnit.SECONDS);
    assertThat(event).as("the session ended").isNotNull();
    assertThat(Arrays.copyOf(event, 2)).containsExactly(socketId, "transport error");
  }

  @Test
  void withRedisGoneForwardedPollsFailFastAndLocalClientsGoOn() throws Exception {
    Socket local = websocketClient(nodeA.port());
    connectNow(local);
    Socket poller = pollingClient(proxy.url(), clients);
    connectNow(poller);
    CompletableFuture<String> disconnected = new CompletableFuture<>();
    poller.on(Socket.EVENT_DISCONNECT, args -> disconnected.complete(String.valueOf(args[0])));
    assertThat(emitWithAck(poller, "echo", "before")).containsExactly("before");

    redis.kill();
    // Its next request for the other node fails at once: the client sees a transport error.
    assertThat(disconnected.get(5, TimeUnit.SECONDS)).isEqualTo("transport error");
    assertThat(emitWithAck(local, "echo", "still up")).containsExactly("still up");
    await().atMost(Duration.ofSeconds(5))
        .until(() -> nodeA.io().connectionCount() + nodeB.io().connectionCount() == 1);
  }

  @Test
  void aForwardedPollWaitingWhenRedisDiesIsAnsweredAtOnce() throws Exception {
    // A long heartbeat: without the relay noticing, the poll would wait ping interval + timeout.
    nodeA.close();
    nodeB.close();
    nodeA = node(redis.uri(), Map.of("ping-interval", "20s", "ping-timeout", "20s"));
    nodeB = node(redis.uri(), Map.of("ping-interval", "20s", "ping-timeout", "20s"));
    String sid = handshake(nodeA.port());
    CompletableFuture<HttpResponse<String>> poll = new CompletableFuture<>();
    awaitForwardedGet(sid, () -> http.sendAsync(pollRequest(nodeB.port(), sid).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).whenComplete((answer, error) -> {
          if (error != null) {
            poll.completeExceptionally(error);
          } else {
            poll.complete(answer);
          }
        }));
    redis.kill();
    HttpResponse<String> answer = poll.get(5, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).isEqualTo("{\"code\":1,\"message\":\"Session unreachable\"}");
  }

  // ---- helpers

  /** Sends a GET for {@code sid} to a node that does not own it, and waits until it was forwarded. */
  private void awaitForwardedGet(String sid, ThrowingRunnable send) throws Exception {
    RedisClient watcher = RedisClient.create(redis.uri());
    try (StatefulRedisPubSubConnection<String, String> watch = watcher.connectPubSub()) {
      CompletableFuture<Void> forwarded = new CompletableFuture<>();
      watch.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          if (message.contains("\"k\":\"GET\"") && message.contains(sid)) {
            forwarded.complete(null);
          }
        }
      });
      watch.sync().subscribe("sb:poll:" + sid.substring(sid.lastIndexOf('.') + 1));
      send.run();
      forwarded.get(5, TimeUnit.SECONDS);
    } finally {
      watcher.shutdown();
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  static Socket pollingClient(String url, List<Socket> clients) {
    IO.Options options = IO.Options.builder()
        .setForceNew(true)
        .setReconnection(false)
        .setTransports(new String[] {"polling"})
        // one connection per request, so that the proxy routes every request on its own
        .setExtraHeaders(Map.of("Connection", List.of("close")))
        .build();
    Socket socket = IO.socket(URI.create(url), options);
    clients.add(socket);
    return socket;
  }

  private Socket websocketClient(int port) {
    IO.Options options = IO.Options.builder()
        .setForceNew(true)
        .setReconnection(false)
        .setTransports(new String[] {"websocket"})
        .build();
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
    clients.add(socket);
    return socket;
  }

  private static HttpRequest.Builder pollRequest(int port, String sid) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH + "?EIO=4&transport=polling&sid=" + sid))
        .timeout(Duration.ofSeconds(5));
  }

  /** Opens a polling session on the node at {@code port}; its sid. */
  private String handshake(int port) throws Exception {
    HttpResponse<String> open = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + PATH + "?EIO=4&transport=polling")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(open.statusCode()).isEqualTo(200);
    return new JSONObject(open.body().substring(1)).getString("sid");
  }
}
