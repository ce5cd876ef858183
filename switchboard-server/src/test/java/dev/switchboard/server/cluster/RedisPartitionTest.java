package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.redis.RedisHealth;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.CountingInbox;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * Node A loses its network link to Redis without a word (a blackhole: connections stay open, no
 * byte passes) while node B keeps it, then the link heals. A notices within the command timeout,
 * is not ready, and serves its members locally; B's members see A's leave presence once their
 * entries expire; after the heal A is back in the cluster: broadcasts cross both ways, presence
 * is whole again on every side (B's members hear A's come back), and nothing is delivered twice,
 * nor what A sent into the cut link.
 */
class RedisPartitionTest {
  private static final Map<String, String> SETTINGS = Map.of("event-rate", "0", "user-event-rate", "0");
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);
  /** Entries live 6 s and are swept every 2 s. */
  private static final Duration PRESENCE_GONE = Duration.ofSeconds(8);

  private final AtomicInteger numbers = new AtomicInteger();

  @Test
  void aNodeCutOffFromRedisServesLocallyLeavesPresenceAndRejoinsTheClusterWhenTheLinkHeals() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        ConnectionProxy link = ConnectionProxy.following(redis.port());
        Clients clients = new Clients();
        SwitchboardApp nodeA = ClusterTest.node("redis://127.0.0.1:" + link.port(), SETTINGS);
        SwitchboardApp nodeB = ClusterTest.node(redis.uri(), SETTINGS)) {
      Map<String, Member> members = new LinkedHashMap<>();
      for (String id : List.of("alice", "anna")) {
        members.put(id, new Member(clients.connect(nodeA.port(), id)));
      }
      for (String id : List.of("bob", "bert")) {
        members.put(id, new Member(clients.connect(nodeB.port(), id)));
      }
      Member alice = members.get("alice");
      Member anna = members.get("anna");
      Member bob = members.get("bob");
      Member bert = members.get("bert");
      for (Member member : members.values()) {
        join(member.socket, "lobby");
      }
      Set<String> everyone = Set.copyOf(members.keySet());
      for (Member member : members.values()) {
        await().atMost(Duration.ofSeconds(5)).until(() -> member.list().equals(everyone));
        member.seeFromList();
      }
      for (Member member : members.values()) {
        await().atMost(Duration.ofSeconds(5)).until(() -> member.seen.equals(everyone));
      }
      members.values().forEach(Member::settled);
      int beforeFromA = publish(alice);
      int beforeFromB = publish(bob);
      for (Member member : members.values()) {
        await().atMost(Duration.ofSeconds(5)).until(() -> member.got(beforeFromA) && member.got(beforeFromB));
      }
      RedisHealth healthA = nodeA.cluster().orElseThrow().health();

      // The cut.
      link.blackhole();
      long cut = System.nanoTime();
      await().atMost(REDIS_TIMEOUT.multipliedBy(3)).until(healthA::down);
      long noticed = System.nanoTime();
      assertThat(readiness(nodeA)).as("A is not ready while it cannot reach Redis").isEqualTo(503);
      assertThat(readiness(nodeB)).isEqualTo(200);
      for (Member member : List.of(alice, anna)) {
        assertThat(member.socket.connected()).as("A keeps its members").isTrue();
      }
      int cutFromA = publish(alice);
      int cutFromB = publish(bob);
      await().atMost(Duration.ofSeconds(2)).until(() -> anna.ticks.has(cutFromA) && bert.ticks.has(cutFromB));
      long localAfterCut = System.nanoTime();
      assertThat(alice.list()).as("presence:list on A during the cut: its own members").isEqualTo(Set.of("alice", "anna"));
      // A member arrives on A during the cut: A's members hear it, B's cannot yet.
      Member amy = new Member(clients.connect(nodeA.port(), "amy"));
      join(amy.socket, "lobby");
      amy.seeFromList();
      amy.settled();
      for (Member member : List.of(alice, anna)) {
        await().atMost(Duration.ofSeconds(2)).until(() -> member.seen.contains("amy"));
      }
      for (Member member : List.of(bob, bert)) {
        await().atMost(PRESENCE_GONE.plusSeconds(2)).until(() -> member.seen.equals(Set.of("bob", "bert")));
      }
      long goneOnB = System.nanoTime();
      assertThat(bob.list()).isEqualTo(Set.of("bob", "bert"));

      members.put("amy", amy);
      Set<String> all = Set.copyOf(members.keySet());

      // The heal.
      link.heal();
      long healed = System.nanoTime();
      await().atMost(Duration.ofSeconds(5)).until(() -> !healthA.down());
      long upAgain = System.nanoTime();
      assertThat(readiness(nodeA)).isEqualTo(200);
      // Broadcasts cross both ways again, once the nodes subscribed again.
      int[] after = new int[2];
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        after[0] = publish(alice);
        after[1] = publish(bob);
        return bert.ticks.has(after[0]) && anna.ticks.has(after[1]) && amy.ticks.has(after[1]);
      });
      long crossAgain = System.nanoTime();
      for (Member member : members.values()) {
        await().atMost(Duration.ofSeconds(5)).until(() -> member.list().equals(all));
      }
      long listsWhole = System.nanoTime();
      // Every member who was there before the cut hears A's members back, amy included; amy herself
      // listed presence during the cut, when A knew only its own members, and hears nothing of B's.
      for (Member member : List.of(alice, anna, bob, bert)) {
        await().atMost(PRESENCE_GONE).until(() -> member.seen.equals(all));
      }
      long viewsWhole = System.nanoTime();
      // A last message from each side: whatever was still on its way came before it.
      int lastFromA = publish(alice);
      int lastFromB = publish(bob);
      for (Member member : members.values()) {
        await().atMost(Duration.ofSeconds(5)).until(() -> member.got(lastFromA) && member.got(lastFromB));
      }

      System.out.printf("partition: noticed by A after %d ms, A's members served locally %d ms after the cut,"
              + " A's members gone from B's presence after %d ms; healed: A up after %d ms, broadcasts both ways after %d ms,"
              + " presence:list whole after %d ms, every member's view whole after %d ms; lost broadcasts counted %d, outages %d%n",
          millis(noticed - cut), millis(localAfterCut - cut), millis(goneOnB - cut), millis(upAgain - healed),
          millis(crossAgain - healed), millis(listsWhole - healed), millis(viewsWhole - healed),
          healthA.lostBroadcasts(), healthA.outages());
      members.forEach((id, member) -> System.out.printf("%s: joins %s, leaves %s, twice %s%n",
          id, member.joins, member.leaves, member.ticks.twice()));

      for (Member member : members.values()) {
        assertThat(member.ticks.twice()).as("delivered twice").isEmpty();
        assertThat(member.anomalies).as("presence events out of step with the member's view").isEmpty();
      }
      assertThat(bert.ticks.has(cutFromA)).as("what A sent into the cut link never reaches B").isFalse();
      assertThat(bob.ticks.has(cutFromA)).isFalse();
      assertThat(anna.ticks.has(cutFromB)).as("what B sent during the cut never reaches A").isFalse();
      assertThat(alice.ticks.has(cutFromB)).isFalse();
      assertThat(healthA.outages()).isGreaterThanOrEqualTo(1);
    }
  }

  /** Publishes the next number as {@code tick} to the lobby (failing unless answered ok); the number. */
  private int publish(Member member) throws JSONException {
    int n = numbers.incrementAndGet();
    member.sent.add(n);
    JSONObject answer = call(member.socket, "room:publish", new JSONObject(Map.of("room", "lobby", "event", "tick",
        "data", Map.of("n", n))));
    assertThat(answer.optBoolean("ok")).as("publish %d: %s", n, answer).isTrue();
    return n;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static int readiness(SwitchboardApp app) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/readyz"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /**
   * One client in the lobby and the presence it has been told of, as an application keeps it: the
   * list it read, then every {@code presence:join} and {@code presence:leave}. A join of someone
   * already there or a leave of someone absent, once settled, is an anomaly.
   */
  private static final class Member {
    final Socket socket;
    final CountingInbox ticks;
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final List<String> joins = new CopyOnWriteArrayList<>();
    final List<String> leaves = new CopyOnWriteArrayList<>();
    final List<String> anomalies = new CopyOnWriteArrayList<>();
    final Set<Integer> sent = ConcurrentHashMap.newKeySet();
    volatile boolean settled;

    Member(Socket socket) {
      this.socket = socket;
      this.ticks = new CountingInbox(socket, "tick");
      socket.on("presence:join", args -> {
        String id = memberId(args);
        joins.add(id);
        if (!seen.add(id) && settled) {
          anomalies.add("join of " + id + ", who was there");
        }
      });
      socket.on("presence:leave", args -> {
        String id = memberId(args);
        leaves.add(id);
        if (!seen.remove(id) && settled) {
          anomalies.add("leave of " + id + ", who was not there");
        }
      });
    }

    /** Whether the member got message {@code n}, or sent it (a publisher does not get its own). */
    boolean got(int n) {
      return sent.contains(n) || ticks.has(n);
    }

    /** Takes what presence:list says as what the member was told. */
    void seeFromList() throws JSONException {
      seen.addAll(list());
    }

    void settled() {
      joins.clear();
      leaves.clear();
      settled = true;
    }

    Set<String> list() throws JSONException {
      JSONArray list = call(socket, "presence:list", new JSONObject(Map.of("room", "lobby"))).getJSONArray("members");
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < list.length(); i++) {
        ids.add(list.getJSONObject(i).getString("id"));
      }
      return ids;
    }

    private static String memberId(Object[] args) {
      try {
        return ((JSONObject) args[0]).getJSONObject("member").getString("id");
      } catch (JSONException e) {
        throw new AssertionError(e);
      }
    }
  }
}
