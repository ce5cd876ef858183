package dev.switchboard.spring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spring.server.SwitchboardServer;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** switchboard.redis makes two applications nodes of one cluster: a room spans both. */
class SwitchboardClusterTest {

  private static ConfigurableApplicationContext node(RedisProcess redis) {
    return new SpringApplicationBuilder(RelayApplication.class).run("--switchboard.host=127.0.0.1", "--switchboard.port=0",
        "--switchboard.redis=" + redis.uri(), "--switchboard.drain-window=0", "--switchboard.drain-timeout=2s");
  }

  @Test
  void aBroadcastOnOneNodeReachesTheRoomsMembersOnTheOther() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        ConfigurableApplicationContext first = node(redis);
        ConfigurableApplicationContext second = node(redis);
        JavaClients onFirst = new JavaClients("http://127.0.0.1:" + first.getBean(SwitchboardServer.class).port());
        JavaClients onSecond = new JavaClients("http://127.0.0.1:" + second.getBean(SwitchboardServer.class).port())) {
      Socket ada = JavaClients.connectNow(onFirst.socket("/relay", JavaClients.Mode.WEBSOCKET));
      Socket bob = JavaClients.connectNow(onSecond.socket("/relay", JavaClients.Mode.WEBSOCKET));
      BlockingQueue<Object[]> heard = JavaClients.inbox(bob, "said");
      assertThat(JavaClients.emitWithAck(ada, Duration.ofSeconds(5), "join", new JSONObject().put("room", "r"))).containsExactly(true);
      assertThat(JavaClients.emitWithAck(bob, Duration.ofSeconds(5), "join", new JSONObject().put("room", "r"))).containsExactly(true);

      ada.emit("say", new JSONObject().put("room", "r").put("text", "across"));
      // With recovery on (the default), a room broadcast carries its stream offset after the arguments.
      assertThat(heard.poll(5, TimeUnit.SECONDS)).startsWith("across");
    }
  }
}
