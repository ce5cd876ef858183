package dev.switchboard.webrtc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code RTCPeerConnection({iceServers: [...]})}.
 *
 * @param urls the server's URLs
 * @param username the TURN username; empty for STUN
 * @param credential the TURN password; empty for STUN
 */
public record IceServer(List<String> urls, Optional<String> username, Optional<String> credential) {
  public IceServer {
    urls = List.copyOf(urls);
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(credential, "credential");
  }

  /** The entry as the browser takes it: {@code {urls, username?, credential?}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("urls", urls);
    username.ifPresent(name -> json.put("username", name));
    credential.ifPresent(password -> json.put("credential", password));
    return json;
  }
}
