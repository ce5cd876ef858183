package dev.switchboard.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admin credential check: Basic headers as browsers and curl send them, bcrypt hashes of every version. */
class AdminCredentialsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static String header(String pair) {
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBasicHeaderSplitsAtTheFirstColon() {
    assertThat(AdminCredentials.parseBasic(header("ops:pass:word"))).contains(new AdminCredentials.Basic("ops", "pass:word"));
    assertThat(AdminCredentials.parseBasic("basic " + Base64.getEncoder().encodeToString("ops:".getBytes(StandardCharsets.UTF_8))))
        .contains(new AdminCredentials.Basic("ops", ""));
    assertThat(AdminCredentials.parseBasic(header("no colon"))).isEmpty();
    assertThat(AdminCredentials.parseBasic("Basic ***")).isEmpty();
    assertThat(AdminCredentials.parseBasic("Bearer abc")).isEmpty();
    assertThat(AdminCredentials.parseBasic("")).isEmpty();
    assertThat(new AdminCredentials.Basic("ops", "secret").toString()).doesNotContain("secret");
  }

  @Test
  void hashesOfEveryBcryptVersionAreChecked() throws Exception {
    for (BCrypt.Version version : new BCrypt.Version[] {BCrypt.Version.VERSION_2A, BCrypt.Version.VERSION_2B, BCrypt.Version.VERSION_2Y}) {
      String hash = BCrypt.with(version).hashToString(4, "s3cret".toCharArray());
      try (AdminCredentials credentials = AdminCredentials.basic("ops", hash)) {
        assertThat(credentials.check("ops", "s3cret").get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as(hash)
            .isEqualTo(AdminCredentials.Outcome.ACCEPTED);
        assertThat(credentials.check("ops", "s3cret!").get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(AdminCredentials.Outcome.REFUSED);
        assertThat(credentials.check("Ops", "s3cret").get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(AdminCredentials.Outcome.REFUSED);
        assertThat(credentials.checkHeader(Optional.empty()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
            .isEqualTo(AdminCredentials.Outcome.REFUSED);
      }
    }
  }

  @Test
  void aPairThatPassedIsNotCheckedAgainWithBcrypt() throws Exception {
    String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
    try (AdminCredentials credentials = AdminCredentials.basic("ops", hash)) {
      assertThat(credentials.check("ops", "s3cret").get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(AdminCredentials.Outcome.ACCEPTED);
      assertThat(credentials.check("ops", "s3cret").isDone()).as("answered at once, from memory").isTrue();
      assertThat(credentials.check("ops", "wrong").get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(AdminCredentials.Outcome.REFUSED);
    }
  }

  @Test
  void anyoneIsAcceptedWhenOpen() throws Exception {
    try (AdminCredentials credentials = AdminCredentials.anyone()) {
      assertThat(credentials.open()).isTrue();
      assertThat(credentials.checkHeader(Optional.empty()).get()).isEqualTo(AdminCredentials.Outcome.ACCEPTED);
    }
  }
}
