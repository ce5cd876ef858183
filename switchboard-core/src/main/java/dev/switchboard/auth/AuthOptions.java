package dev.switchboard.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How tokens are verified and where they are looked for. At least one key source is required:
 * an HMAC secret (HS256/384/512), a PEM public key (RS256 or ES256), a JWKS file or a JWKS URL.
 *
 * @param hmacSecret shared secret, if any: at least 32 bytes, which serves HS256; HS384 needs 48
 *     bytes and HS512 64 (see {@link #hmacAlgorithms()})
 * @param publicKeyPem a PEM {@code PUBLIC KEY} (RSA or EC P-256) as text, if any
 * @param jwksFile a JSON Web Key Set file, if any
 * @param jwksUrl a JSON Web Key Set URL, fetched off the event loops and cached, if any
 * @param issuer the required {@code iss}; empty to accept any
 * @param audience the required {@code aud} (one of the token's audiences); empty to accept any
 * @param clockSkew tolerance applied to {@code exp} and {@code nbf}
 * @param cookieName the cookie that may carry the token; empty for none
 * @param expiryWarning how long before expiry {@code auth:expiring} is sent
 * @param publicClaims claims copied into the presence member's public info
 * @param jwksRefresh how often the JWKS URL is fetched again
 * @param jwksMinRefetch the shortest interval between fetches triggered by an unknown {@code kid}
 * @param jwksTimeout how long one JWKS fetch may take
 * @param requireExpiry whether a token without {@code exp} is refused ({@code TOKEN_INVALID})
 */
public record AuthOptions(
    Optional<String> hmacSecret,
    Optional<String> publicKeyPem,
    Optional<Path> jwksFile,
    Optional<URI> jwksUrl,
    Optional<String> issuer,
    Optional<String> audience,
    Duration clockSkew,
    Optional<String> cookieName,
    Duration expiryWarning,
    List<String> publicClaims,
    Duration jwksRefresh,
    Duration jwksMinRefetch,
    Duration jwksTimeout,
    boolean requireExpiry) {

  /** Everything but the HMAC secret, which must not reach a log: only whether there is one. */
  @Override
  public String toString() {
    return "AuthOptions[hmacSecret=" + (hmacSecret.isPresent() ? "(set)" : "none") + ", publicKeyPem="
        + (publicKeyPem.isPresent() ? "(set)" : "none") + ", jwksFile=" + jwksFile + ", jwksUrl=" + jwksUrl
        + ", issuer=" + issuer + ", audience=" + audience + ", clockSkew=" + clockSkew + ", cookieName=" + cookieName
        + ", expiryWarning=" + expiryWarning + ", publicClaims=" + publicClaims + ", jwksRefresh=" + jwksRefresh
        + ", jwksMinRefetch=" + jwksMinRefetch + ", jwksTimeout=" + jwksTimeout + ", requireExpiry=" + requireExpiry + "]";
  }

  /** The HMAC algorithms and the shortest secret (in bytes) each accepts: the length of its hash. */
  private static final Map<String, Integer> HMAC_SECRET_BYTES = hmacSecretBytes();

  public AuthOptions {
    Objects.requireNonNull(hmacSecret, "hmacSecret");
    Objects.requireNonNull(publicKeyPem, "publicKeyPem");
    Objects.requireNonNull(jwksFile, "jwksFile");
    Objects.requireNonNull(jwksUrl, "jwksUrl");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(cookieName, "cookieName");
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(expiryWarning, "expiryWarning");
    Objects.requireNonNull(jwksRefresh, "jwksRefresh");
    Objects.requireNonNull(jwksMinRefetch, "jwksMinRefetch");
    Objects.requireNonNull(jwksTimeout, "jwksTimeout");
    publicClaims = List.copyOf(publicClaims);
    if (hmacSecret.isEmpty() && publicKeyPem.isEmpty() && jwksFile.isEmpty() && jwksUrl.isEmpty()) {
      throw new IllegalArgumentException("a key source is required: hmacSecret, publicKeyPem, jwksFile or jwksUrl");
    }
    if (hmacSecret.filter(secret -> secret.getBytes(StandardCharsets.UTF_8).length < HMAC_SECRET_BYTES.get("HS256")).isPresent()) {
      throw new IllegalArgumentException("the HMAC secret must be at least 32 bytes (256 bits)");
    }
    if (clockSkew.isNegative() || expiryWarning.isNegative()) {
      throw new IllegalArgumentException("clockSkew and expiryWarning must not be negative");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The HMAC algorithms the secret is long enough for, in order: HS256 needs 32 bytes, HS384 48
   * and HS512 64; tokens of the others are refused ({@code TOKEN_INVALID}). Empty without a secret.
   */
  public List<String> hmacAlgorithms() {
    if (hmacSecret.isEmpty()) {
      return List.of();
    }
    int length = hmacSecret.get().getBytes(StandardCharsets.UTF_8).length;
    return HMAC_SECRET_BYTES.entrySet().stream().filter(e -> length >= e.getValue()).map(Map.Entry::getKey).toList();
  }

  private static Map<String, Integer> hmacSecretBytes() {
    Map<String, Integer> bytes = new LinkedHashMap<>();
    bytes.put("HS256", 32);
    bytes.put("HS384", 48);
    bytes.put("HS512", 64);
    return Collections.unmodifiableMap(bytes);
  }

  /**
   * Builds {@link AuthOptions}; defaults: 60 s clock skew and expiry warning, public claims
   * {@code name, picture}, tokens must carry {@code exp}.
   */
  public static final class Builder {
    private Optional<String> hmacSecret = Optional.empty();
    private Optional<String> publicKeyPem = Optional.empty();
    private Optional<Path> jwksFile = Optional.empty();
    private Optional<URI> jwksUrl = Optional.empty();
    private Optional<String> issuer = Optional.empty();
    private Optional<String> audience = Optional.empty();
    private Duration clockSkew = Duration.ofSeconds(60);
    private Optional<String> cookieName = Optional.empty();
    private Duration expiryWarning = Duration.ofSeconds(60);
    private List<String> publicClaims = List.of("name", "picture");
    private Duration jwksRefresh = Duration.ofMinutes(10);
    private Duration jwksMinRefetch = Duration.ofSeconds(30);
    private Duration jwksTimeout = Duration.ofSeconds(5);
    private boolean requireExpiry = true;

    private Builder() {}

    public Builder hmacSecret(String secret) { this.hmacSecret = Optional.of(secret); return this; }
    public Builder publicKeyPem(String pem) { this.publicKeyPem = Optional.of(pem); return this; }
    public Builder jwksFile(Path file) { this.jwksFile = Optional.of(file); return this; }
    public Builder jwksUrl(URI url) { this.jwksUrl = Optional.of(url); return this; }
    public Builder issuer(String issuer) { this.issuer = Optional.of(issuer); return this; }
    public Builder audience(String audience) { this.audience = Optional.of(audience); return this; }
    public Builder clockSkew(Duration skew) { this.clockSkew = skew; return this; }
    public Builder cookieName(String name) { this.cookieName = Optional.of(name); return this; }
    public Builder expiryWarning(Duration lead) { this.expiryWarning = lead; return this; }
    public Builder publicClaims(List<String> claims) { this.publicClaims = claims; return this; }
    public Builder jwksRefresh(Duration every) { this.jwksRefresh = every; return this; }
    public Builder jwksMinRefetch(Duration interval) { this.jwksMinRefetch = interval; return this; }
    public Builder jwksTimeout(Duration timeout) { this.jwksTimeout = timeout; return this; }
    /** Whether tokens without {@code exp} are refused; default true. */
    public Builder requireExpiry(boolean require) { this.requireExpiry = require; return this; }

    public AuthOptions build() {
      return new AuthOptions(hmacSecret, publicKeyPem, jwksFile, jwksUrl, issuer, audience, clockSkew, cookieName,
          expiryWarning, publicClaims, jwksRefresh, jwksMinRefetch, jwksTimeout, requireExpiry);
    }
  }
}
