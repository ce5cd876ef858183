package dev.switchboard.spring.autoconfigure;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.Settings;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.spring.config.SwitchboardProperties;
import dev.switchboard.spring.config.SwitchboardSettings;
import dev.switchboard.spring.handler.HandlerScope;
import dev.switchboard.spring.handler.JakartaPayloadValidator;
import dev.switchboard.spring.handler.PayloadValidator;
import dev.switchboard.spring.handler.SocketControllerRegistrar;
import dev.switchboard.spring.security.HandshakeAuthentication;
import dev.switchboard.spring.security.JwtDecoderAuthentication;
import dev.switchboard.spring.security.SecurityContextScope;
import dev.switchboard.spring.security.TokenAuthentication;
import dev.switchboard.spring.server.SwitchboardServer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/**
 * Auto-configures a Switchboard server from the {@code switchboard.*} properties: the server
 * (started and drained with the context), its {@link SocketIoServer} for the application to use,
 * handshake authentication (Spring Security's {@code JwtDecoder} when there is one, else
 * {@code switchboard.jwt-*}), the {@link dev.switchboard.spring.handler.SocketController} beans,
 * and the application's {@link MeterRegistry} for Switchboard's meters.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
    "org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration",
    "org.springframework.boot.autoconfigure.security.oauth2.resource.reactive.ReactiveOAuth2ResourceServerAutoConfiguration"})
@EnableConfigurationProperties(SwitchboardProperties.class)
@Import(SocketControllerScan.class)
public class SwitchboardAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public ServerConfig switchboardServerConfig(SwitchboardProperties properties) {
    return SwitchboardSettings.serverConfig(properties);
  }

  @Bean
  @ConditionalOnMissingBean
  public SwitchboardServer switchboardServer(ServerConfig config, SwitchboardProperties properties,
      ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<HandshakeAuthentication> authentication) {
    boolean virtualThreads = SwitchboardSettings.virtualThreads(properties);
    SwitchboardServer server = SwitchboardServer.create(config, options -> {
      options.meterRegistry(Optional.ofNullable(meterRegistry.getIfUnique()));
      return virtualThreads ? options.virtualThreadHandlers() : options;
    });
    authentication.ifAvailable(handshakes -> handshakes.install(server.io()));
    return server;
  }

  /** The server's Socket.IO server, for the application to emit to rooms; closed by {@link SwitchboardServer}. */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  public SocketIoServer socketIoServer(SwitchboardServer server) {
    return server.io();
  }

  @Bean
  public SocketControllerRegistrar socketControllerRegistrar(ApplicationContext context, SocketIoServer io,
      ObjectProvider<ObjectMapper> mapper, ObjectProvider<PayloadValidator> validator, ObjectProvider<HandlerScope> scope,
      ObjectProvider<HandshakeAuthentication> authentication) {
    return new SocketControllerRegistrar(context, io, mapper.getIfUnique(ObjectMapper::new),
        validator.getIfUnique(() -> PayloadValidator.NONE), scope.getIfUnique(() -> HandlerScope.NONE),
        namespace -> authentication.ifAvailable(handshakes -> handshakes.watch(namespace)));
  }

  /** Without a {@code JwtDecoder}: {@code switchboard.jwt-*}, Switchboard verifying the tokens itself, or none. */
  @Bean
  @ConditionalOnMissingBean
  public HandshakeAuthentication switchboardTokenAuthentication(ServerConfig config) {
    return config.auth().options().<HandshakeAuthentication>map(TokenAuthentication::new).orElse(HandshakeAuthentication.NONE);
  }

  /** With Spring Security's JWT resource server: its {@code JwtDecoder} authenticates the handshakes. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(JwtDecoder.class)
  static class JwtDecoderConfiguration {
    @Bean
    @ConditionalOnBean(JwtDecoder.class)
    @ConditionalOnMissingBean
    HandshakeAuthentication switchboardJwtDecoderAuthentication(JwtDecoder decoder, SwitchboardProperties properties) {
      Duration clockSkew = Optional.ofNullable(properties.jwtClockSkew())
          .orElseGet(() -> DurationStyle.detectAndParse(Settings.JWT_CLOCK_SKEW.defaultValue()));
      return new JwtDecoderAuthentication(decoder, JwtDecoderAuthentication.DEFAULT_PUBLIC_CLAIMS, clockSkew);
    }
  }

  /**
   * With Spring Security's resource server: handlers run with the socket's {@code JwtAuthenticationToken}
   * in the {@code SecurityContextHolder}, so that method security and auditing see its user.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({JwtDecoder.class, JwtAuthenticationConverter.class})
  static class SecurityContextConfiguration {
    @Bean
    @ConditionalOnBean(JwtDecoder.class)
    @ConditionalOnMissingBean
    HandlerScope switchboardSecurityContext(ObjectProvider<JwtAuthenticationConverter> converter) {
      return new SecurityContextScope(converter.getIfUnique(JwtAuthenticationConverter::new));
    }
  }

  /** With {@code jakarta.validation}: {@code @Valid} payloads are validated by the application's validator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Validator.class)
  static class ValidationConfiguration {
    @Bean
    @ConditionalOnBean(Validator.class)
    @ConditionalOnMissingBean
    PayloadValidator switchboardPayloadValidator(Validator validator) {
      return new JakartaPayloadValidator(validator);
    }
  }
}
