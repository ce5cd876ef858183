package dev.switchboard.webrtc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A time-limited TURN credential of one user.
 *
 * @param username {@code <expiry in unix seconds>:<user id>}
 * @param password base64 of HMAC-SHA1(secret, username)
 * @param ttl how long it was minted for
 * @param expiresAt when the TURN server stops accepting it
 * @param urls the STUN and TURN URLs it goes with
 */
public record TurnCredential(String username, String password, Duration ttl, Instant expiresAt, List<String> urls) {
  public TurnCredential {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(expiresAt, "expiresAt");
    urls = List.copyOf(urls);
  }

  /**
   * The entries to spread into {@code iceServers}: the TURN URLs with the credential, and the
   * STUN URLs in an entry of their own without it.
   */
  public List<IceServer> iceServers() {
    List<String> stun = new ArrayList<>();
    List<String> turn = new ArrayList<>();
    for (String url : urls) {
      (TurnOptions.isTurn(url) ? turn : stun).add(url);
    }
    List<IceServer> servers = new ArrayList<>();
    servers.add(new IceServer(turn, Optional.of(username), Optional.of(password)));
    if (!stun.isEmpty()) {
      servers.add(new IceServer(stun, Optional.empty(), Optional.empty()));
    }
    return servers;
  }

  /** The shape of the TURN REST API draft (draft-uberti-behave-turn-rest): {@code {username, password, ttl, uris}}. */
  public Map<String, Object> toRestApi() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("username", username);
    json.put("password", password);
    json.put("ttl", ttl.toSeconds());
    json.put("uris", urls);
    return json;
  }
}
