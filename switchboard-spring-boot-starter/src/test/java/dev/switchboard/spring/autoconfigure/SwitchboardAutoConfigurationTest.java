package dev.switchboard.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.spring.Tokens;
import dev.switchboard.spring.handler.OnEvent;
import dev.switchboard.spring.handler.SocketController;
import dev.switchboard.spring.security.HandshakeAuthentication;
import dev.switchboard.spring.security.JwtDecoderAuthentication;
import dev.switchboard.spring.security.TokenAuthentication;
import dev.switchboard.spring.server.SwitchboardServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** Which beans the auto-configuration makes of which properties and beans, and the server's life with the context. */
class SwitchboardAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SwitchboardAutoConfiguration.class))
      .withPropertyValues("switchboard.host=127.0.0.1", "switchboard.port=0", "switchboard.drain-window=0", "switchboard.drain-timeout=1s");

  @Test
  void theServerListensWhileTheContextRunsAndHandlersRunOnVirtualThreads() {
    SwitchboardServer[] kept = new SwitchboardServer[1];
    runner.run(context -> {
      SwitchboardServer server = context.getBean(SwitchboardServer.class);
      kept[0] = server;
      assertThat(server.isRunning()).isTrue();
      assertThat(server.port()).isPositive();
      assertThat(context.getBean(SocketIoServer.class)).isSameAs(server.io());
      assertThat(server.io().options().handlerExecutor()).isPresent();
      assertThat(context.getBean(HandshakeAuthentication.class)).isSameAs(HandshakeAuthentication.NONE);
    });
    assertThat(kept[0].isRunning()).isFalse();
  }

  @Test
  void virtualThreadsCanBeTurnedOff() {
    runner.withPropertyValues("switchboard.virtual-threads=false").run(context ->
        assertThat(context.getBean(SocketIoServer.class).options().handlerExecutor()).isEmpty());
  }

  @Test
  void jwtSettingsTurnOnSwitchboardsOwnAuthentication() {
    runner.withPropertyValues("switchboard.jwt-secret=" + Tokens.SECRET).run(context ->
        assertThat(context.getBean(HandshakeAuthentication.class)).isInstanceOf(TokenAuthentication.class));
  }

  @Test
  void aJwtDecoderBeanTakesOverTheHandshake() {
    runner.withBean(JwtDecoder.class, Tokens::decoder).withPropertyValues("switchboard.jwt-secret=" + Tokens.SECRET).run(context ->
        assertThat(context.getBean(HandshakeAuthentication.class)).isInstanceOf(JwtDecoderAuthentication.class));
  }

  @Test
  void withoutSpringSecurityOnTheClassPathTheStarterStillStarts() {
    runner.withClassLoader(new FilteredClassLoader(JwtDecoder.class)).run(context ->
        assertThat(context).hasNotFailed().hasSingleBean(SwitchboardServer.class));
  }

  @SocketController("/rooms")
  static class Joins {
    @OnEvent("join")
    void join() { }
  }

  @SocketController("/rooms")
  static class OtherJoins {
    @OnEvent("join")
    void join() { }
  }

  @Test
  void twoHandlersOfOneEventInANamespaceFailTheStart() {
    runner.withBean(Joins.class).withBean(OtherJoins.class).run(context ->
        assertThat(context).hasFailed().getFailure()
            .hasStackTraceContaining("event \"join\" of namespace /rooms has two handlers"));
  }

  @Test
  void anInvalidPropertyFailsTheContextNamingIt() {
    runner.withPropertyValues("switchboard.ping-interval=0s").run(context ->
        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("property switchboard.ping-interval"));
  }
}
