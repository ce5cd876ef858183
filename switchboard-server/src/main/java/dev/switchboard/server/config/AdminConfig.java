package dev.switchboard.server.config;

import dev.switchboard.admin.AdminAuth;
import dev.switchboard.admin.AdminMode;
import dev.switchboard.admin.AdminOptions;
import dev.switchboard.admin.AdminSessions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The Admin UI's server half as the {@code --admin*} settings describe it.
 *
 * @param namespace the admin namespace
 * @param auth how the UI logs in
 * @param readonly whether its actions are refused
 * @param mode what it is sent
 */
public record AdminConfig(String namespace, AdminAuth auth, boolean readonly, AdminMode mode) {

  /** The options of a node keeping its sessions in {@code sessions}, named {@code serverId} in the UI. */
  public AdminOptions options(AdminSessions sessions, String serverId) {
    return AdminOptions.builder(auth).namespace(namespace).readonly(readonly).mode(mode).sessions(sessions).serverId(serverId).build();
  }

  /** The Admin UI of {@code values}; empty when {@code --admin} is off. */
  static Optional<AdminConfig> from(ConfigValues values) {
    if (!ServerConfig.bool(values, Settings.ADMIN)) {
      return Optional.empty();
    }
    String namespace = values.get(Settings.ADMIN_NAMESPACE).trim();
    if (!namespace.startsWith("/") || namespace.length() < 2) {
      throw ServerConfig.invalid(values, Settings.ADMIN_NAMESPACE, "must start with '/' and name a namespace of its own (not /)");
    }
    String mode = values.get(Settings.ADMIN_MODE).trim().toLowerCase(Locale.ROOT);
    AdminMode adminMode = switch (mode) {
      case "development" -> AdminMode.DEVELOPMENT;
      case "production" -> AdminMode.PRODUCTION;
      default -> throw ServerConfig.invalid(values, Settings.ADMIN_MODE, "'" + mode + "' is not development or production");
    };
    return Optional.of(new AdminConfig(namespace, auth(values), ServerConfig.bool(values, Settings.ADMIN_READONLY), adminMode));
  }

  private static AdminAuth auth(ConfigValues values) {
    String auth = values.get(Settings.ADMIN_AUTH).trim().toLowerCase(Locale.ROOT);
    switch (auth) {
      case "none" -> {
        String host = values.get(Settings.HOST).trim();
        if (!loopback(host) && !ServerConfig.bool(values, Settings.ADMIN_INSECURE)) {
          throw ServerConfig.invalid(values, Settings.ADMIN_AUTH, "none lets anyone act on every socket: it needs a loopback "
              + Settings.HOST.flag() + " (127.0.0.1, ::1, localhost), or " + Settings.ADMIN_INSECURE.flag() + " true");
        }
        return AdminAuth.none();
      }
      case "basic" -> {
        String hash = values.get(Settings.ADMIN_PASSWORD_HASH).trim();
        if (hash.isEmpty()) {
          throw ServerConfig.invalid(values, Settings.ADMIN_PASSWORD_HASH, "is required with --admin-auth basic (make one with"
              + " a bcrypt tool giving $2a$ or $2b$, e.g. npm's bcryptjs: hashSync(password, 10))");
        }
        try {
          return AdminAuth.basic(values.get(Settings.ADMIN_USERNAME).trim(), hash);
        } catch (IllegalArgumentException e) {
          throw ServerConfig.invalid(values, Settings.ADMIN_PASSWORD_HASH, e.getMessage());
        }
      }
      default -> throw ServerConfig.invalid(values, Settings.ADMIN_AUTH, "'" + auth + "' is not basic or none");
    }
  }

  private static boolean loopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
