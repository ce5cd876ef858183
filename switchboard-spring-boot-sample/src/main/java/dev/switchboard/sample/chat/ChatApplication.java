package dev.switchboard.sample.chat;

import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * A chat on Switchboard: rooms of the {@code /chat} namespace, messages kept in a database, users
 * known by the JWTs Spring Security checks (here HS256 tokens of {@code chat.jwt-secret}; a JWKS
 * issuer works the same with {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri}).
 */
@SpringBootApplication
public class ChatApplication {

  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }

  @Bean
  JwtDecoder jwtDecoder(@Value("${chat.jwt-secret}") String secret) {
    return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).build();
  }
}
