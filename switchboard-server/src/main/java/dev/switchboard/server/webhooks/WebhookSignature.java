package dev.switchboard.server.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a webhook request is signed: HMAC-SHA256, keyed with a secret's UTF-8 bytes, over the
 * timestamp header's value, a dot and the body's bytes, in lower-case hex; one {@code v1=<hex>}
 * per secret, comma-separated, in the order the secrets are configured.
 */
public final class WebhookSignature {
  /** Unix time in seconds when the request was sent (each attempt its own). */
  public static final String TIMESTAMP_HEADER = "X-Switchboard-Timestamp";
  /** {@code v1=<hex>[,v1=<hex>...]}. */
  public static final String SIGNATURE_HEADER = "X-Switchboard-Signature";
  /** The id of a request's batch of events, the same for each attempt. */
  public static final String DELIVERY_HEADER = "X-Switchboard-Delivery";
  /** 1 for the first attempt of a batch, 2 for its first retry, and so on. */
  public static final String ATTEMPT_HEADER = "X-Switchboard-Attempt";
  /** The scheme of the signatures. */
  public static final String VERSION = "v1";

  private final List<SecretKeySpec> keys;

  public WebhookSignature(List<String> secrets) {
    this.keys = secrets.stream().map(secret -> new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).toList();
  }

  /** The signature header's value for {@code body} sent at {@code timestamp} (Unix seconds). */
  public String sign(long timestamp, byte[] body) {
    return keys.stream().map(key -> VERSION + "=" + HexFormat.of().formatHex(mac(key, timestamp, body)))
        .collect(Collectors.joining(","));
  }

  private static byte[] mac(SecretKeySpec key, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
