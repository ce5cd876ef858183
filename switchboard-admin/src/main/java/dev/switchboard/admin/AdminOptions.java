package dev.switchboard.admin;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Admin UI's server half runs.
 *
 * @param namespace the admin namespace the UI connects to ({@code /admin})
 * @param auth how the UI logs in; there is no default: choose
 * @param readonly whether the UI's actions (join, leave, disconnect, emit) are refused
 * @param mode what the UI is sent ({@link AdminMode#DEVELOPMENT} by default)
 * @param serverId how this node is named in the UI; the host name by default (add the node id on a
 *     cluster of nodes sharing a host)
 * @param sessions where login sessions are kept
 * @param statsInterval how often each node sends its stats (2 s, as the UI expects)
 */
public record AdminOptions(String namespace, AdminAuth auth, boolean readonly, AdminMode mode, Optional<String> serverId,
    AdminSessions sessions, Duration statsInterval) {
  public static final String DEFAULT_NAMESPACE = "/admin";

  public AdminOptions {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(serverId, "serverId");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(statsInterval, "statsInterval");
    if (!namespace.startsWith("/") || namespace.length() < 2) {
      throw new IllegalArgumentException("the admin namespace must start with / and not be the main namespace: " + namespace);
    }
    if (statsInterval.isNegative() || statsInterval.isZero()) {
      throw new IllegalArgumentException("statsInterval must be positive");
    }
  }

  /** A builder for options logging in with {@code auth}, every other option at its default. */
  public static Builder builder(AdminAuth auth) {
    return new Builder(auth);
  }

  /** Builds {@link AdminOptions}. */
  public static final class Builder {
    private String namespace = DEFAULT_NAMESPACE;
    private final AdminAuth auth;
    private boolean readonly;
    private AdminMode mode = AdminMode.DEVELOPMENT;
    private Optional<String> serverId = Optional.empty();
    private AdminSessions sessions;
    private Duration statsInterval = Duration.ofSeconds(2);

    private Builder(AdminAuth auth) {
      this.auth = Objects.requireNonNull(auth, "auth");
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder readonly(boolean readonly) {
      this.readonly = readonly;
      return this;
    }

    public Builder mode(AdminMode mode) {
      this.mode = mode;
      return this;
    }

    public Builder serverId(String serverId) {
      this.serverId = Optional.of(serverId);
      return this;
    }

    /** Where sessions are kept; this node's memory by default. */
    public Builder sessions(AdminSessions sessions) {
      this.sessions = sessions;
      return this;
    }

    public Builder statsInterval(Duration statsInterval) {
      this.statsInterval = statsInterval;
      return this;
    }

    public AdminOptions build() {
      return new AdminOptions(namespace, auth, readonly, mode, serverId,
          sessions != null ? sessions : AdminSessions.inMemory(), statsInterval);
    }
  }
}
