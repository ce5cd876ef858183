package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the log safety net masks, and what it leaves alone. */
class RedactionTest {
  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  @Test
  void tokensAreMaskedWhereverTheyAre() {
    assertThat(Redaction.redact("refused " + JWT + " for alice")).isEqualTo("refused [redacted token] for alice");
    assertThat(Redaction.redact("GET /sse?rooms=a&token=" + JWT + "&x=1")).isEqualTo("GET /sse?rooms=a&token=[redacted token]&x=1");
    assertThat(Redaction.redact("Bearer " + JWT)).isEqualTo("Bearer [redacted token]");
  }

  @Test
  void uriPasswordsAreMasked() {
    assertThat(Redaction.redact("connecting to redis://:s3cret@10.0.0.5:6379/0")).isEqualTo("connecting to redis://[redacted]@10.0.0.5:6379/0");
    assertThat(Redaction.redact("rediss://default:pw@cache:6380 and https://user:pass@example.com/x"))
        .isEqualTo("rediss://[redacted]@cache:6380 and https://[redacted]@example.com/x");
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    for (String text : new String[] {"socket abc joined chat:lobby", "mail alice@example.com", "eyJ alone", "redis://cache:6379", ""}) {
      assertThat(Redaction.redact(text)).isEqualTo(text);
    }
  }
}
