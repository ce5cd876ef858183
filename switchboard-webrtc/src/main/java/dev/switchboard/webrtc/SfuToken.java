package dev.switchboard.webrtc;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An SFU access token of one participant in one room.
 *
 * @param token the signed JWT, for the SFU's client SDK ({@code room.connect(url, token)})
 * @param room the room it admits to
 * @param grant what it allows there
 * @param expiresAt its {@code exp}: joining after it fails (a participant already in stays)
 */
public record SfuToken(String token, String room, SfuGrant grant, Instant expiresAt) {
  public SfuToken {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(grant, "grant");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** {@code {token, expiresAt}}, the expiry in epoch milliseconds. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("token", token);
    json.put("expiresAt", expiresAt.toEpochMilli());
    return json;
  }
}
