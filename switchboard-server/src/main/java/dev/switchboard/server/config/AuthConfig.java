package dev.switchboard.server.config;

import dev.switchboard.auth.AuthOptions;
import dev.switchboard.auth.RoomRule;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Authentication and room authorization of the standalone server.
 *
 * @param options how tokens are verified; empty in open mode
 * @param rules room rules from {@code --room-rules}; empty when none are configured (an empty list
 *     is a rule set that matches no room)
 * @param webhook the authorization backend; empty when none is configured
 * @param webhookTimeout how long the backend may take
 * @param cacheTtl how long its answers are cached
 */
public record AuthConfig(Optional<AuthOptions> options, Optional<List<RoomRule>> rules, Optional<URI> webhook,
    Duration webhookTimeout, Duration cacheTtl) {
  /** No authentication: any client may join and publish to any room. */
  public static final AuthConfig OPEN = new AuthConfig(Optional.empty(), Optional.empty(), Optional.empty(),
      Duration.ofSeconds(2), Duration.ZERO);

  public AuthConfig {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(webhook, "webhook");
  }

  public boolean enabled() {
    return options.isPresent();
  }

  static AuthConfig from(ConfigValues values) {
    String secret = text(values, Settings.JWT_SECRET);
    String keyFile = text(values, Settings.JWT_PUBLIC_KEY);
    String jwksUrl = text(values, Settings.JWKS_URL);
    String jwksFile = text(values, Settings.JWKS_FILE);
    String rulesFile = text(values, Settings.ROOM_RULES);
    String webhook = text(values, Settings.AUTHZ_WEBHOOK);
    boolean anyKey = secret != null || keyFile != null || jwksUrl != null || jwksFile != null;
    if (!anyKey) {
      if (rulesFile != null || webhook != null) {
        throw ServerConfig.invalid(values, rulesFile != null ? Settings.ROOM_RULES : Settings.AUTHZ_WEBHOOK,
            "room authorization needs authentication: set jwt-secret, jwt-public-key, jwks-url or jwks-file");
      }
      return OPEN;
    }
    AuthOptions options;
    try {
      AuthOptions.Builder builder = AuthOptions.builder();
      if (secret != null) {
        builder.hmacSecret(secret);
      }
      if (keyFile != null) {
        builder.publicKeyPem(read(values, Settings.JWT_PUBLIC_KEY, keyFile));
      }
      if (jwksFile != null) {
        builder.jwksFile(existing(values, Settings.JWKS_FILE, jwksFile));
      }
      if (jwksUrl != null) {
        builder.jwksUrl(url(values, Settings.JWKS_URL, jwksUrl));
      }
      optionalText(values, Settings.JWT_ISSUER).ifPresent(builder::issuer);
      optionalText(values, Settings.JWT_AUDIENCE).ifPresent(builder::audience);
      builder.clockSkew(ServerConfig.durationOrZero(values, Settings.JWT_CLOCK_SKEW))
          .requireExpiry(ServerConfig.bool(values, Settings.JWT_REQUIRE_EXP));
      optionalText(values, Settings.AUTH_COOKIE).ifPresent(builder::cookieName);
      builder.expiryWarning(ServerConfig.durationOrZero(values, Settings.AUTH_EXPIRY_WARNING));
      options = builder.build();
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(values, secret != null ? Settings.JWT_SECRET : Settings.JWT_PUBLIC_KEY, e.getMessage());
    }
    Optional<List<RoomRule>> rules = Optional.empty();
    if (rulesFile != null) {
      try {
        rules = Optional.of(RoomRule.parse(read(values, Settings.ROOM_RULES, rulesFile)));
      } catch (IllegalArgumentException e) {
        throw ServerConfig.invalid(values, Settings.ROOM_RULES, e.getMessage());
      }
    }
    return new AuthConfig(Optional.of(options), rules,
        Optional.ofNullable(webhook).map(text -> url(values, Settings.AUTHZ_WEBHOOK, text)),
        ServerConfig.duration(values, Settings.AUTHZ_TIMEOUT), ServerConfig.durationOrZero(values, Settings.AUTHZ_CACHE_TTL));
  }

  private static Optional<String> optionalText(ConfigValues values, Setting setting) {
    return Optional.ofNullable(text(values, setting));
  }

  private static String text(ConfigValues values, Setting setting) {
    String value = values.get(setting).trim();
    return value.isEmpty() ? null : value;
  }

  private static Path existing(ConfigValues values, Setting setting, String file) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw ServerConfig.invalid(values, setting, "no such file " + file);
    }
    return path;
  }

  private static String read(ConfigValues values, Setting setting, String file) {
    try {
      return Files.readString(existing(values, setting, file));
    } catch (IOException e) {
      throw ServerConfig.invalid(values, setting, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private static URI url(ConfigValues values, Setting setting, String text) {
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw ServerConfig.invalid(values, setting, "'" + text + "' is not an http:// or https:// URL");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw ServerConfig.invalid(values, setting, "'" + text + "' is not a URL");
    }
  }
}
