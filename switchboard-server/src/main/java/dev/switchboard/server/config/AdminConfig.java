package dev.switchboard.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether the admin features are on and how admins authenticate.
 *
 * @param enabled whether the admin features are served at all ({@code --admin})
 * @param auth how admins authenticate
 * @param username the user name accepted with {@link Auth#BASIC}
 * @param passwordHash the bcrypt hash of the password accepted with {@link Auth#BASIC}; empty with {@link Auth#NONE}
 */
public record AdminConfig(boolean enabled, Auth auth, String username, Optional<String> passwordHash) {
  /** Admin features off. */
  public static final AdminConfig OFF = new AdminConfig(false, Auth.BASIC, "admin", Optional.empty());
  /** A bcrypt hash in its modular crypt form: version, two-digit cost, 53 characters of salt and hash. */
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

  /** How admins authenticate. */
  public enum Auth {
    /** A user name and a password checked against a bcrypt hash. */
    BASIC,
    /** Anyone who reaches the server: allowed only on a loopback address. */
    NONE
  }

  /** Without the hash, which should not reach a log. */
  @Override
  public String toString() {
    return "AdminConfig[enabled=" + enabled + ", auth=" + auth + ", username=" + username
        + ", passwordHash=" + (passwordHash.isPresent() ? "set" : "none") + "]";
  }

  static AdminConfig from(ConfigValues values) {
    boolean enabled = ServerConfig.bool(values, Settings.ADMIN);
    String mode = values.get(Settings.ADMIN_AUTH).trim().toLowerCase(Locale.ROOT);
    Auth auth = switch (mode) {
      case "basic" -> Auth.BASIC;
      case "none" -> Auth.NONE;
      default -> throw ServerConfig.invalid(values, Settings.ADMIN_AUTH, "'" + values.get(Settings.ADMIN_AUTH) + "' is not basic or none");
    };
    String username = values.get(Settings.ADMIN_USERNAME).trim();
    if (username.isEmpty() || username.contains(":")) {
      throw ServerConfig.invalid(values, Settings.ADMIN_USERNAME, "must not be empty nor contain ':'");
    }
    String hash = values.get(Settings.ADMIN_PASSWORD_HASH).trim();
    if (!hash.isEmpty() && !BCRYPT.matcher(hash).matches()) {
      throw ServerConfig.invalid(values, Settings.ADMIN_PASSWORD_HASH, "is not a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters)");
    }
    if (!enabled) {
      return OFF;
    }
    if (auth == Auth.BASIC && hash.isEmpty()) {
      throw ServerConfig.invalid(values, Settings.ADMIN_PASSWORD_HASH, "--admin with --admin-auth basic needs the bcrypt hash of the"
          + " admin password (" + Settings.ADMIN_PASSWORD_HASH.environmentVariable() + "), or --admin-auth none on a loopback --host");
    }
    if (auth == Auth.NONE && !loopback(values.get(Settings.HOST).trim())) {
      throw ServerConfig.invalid(values, Settings.ADMIN_AUTH, "none is allowed only when --host is a loopback address, not "
          + values.get(Settings.HOST));
    }
    return new AdminConfig(true, auth, username, auth == Auth.BASIC ? Optional.of(hash) : Optional.empty());
  }

  /** Whether {@code host} is only reachable from this machine; names are not resolved (but localhost). */
  static boolean loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
