package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The version the server reports is the one Maven builds it as, not a string in the code. */
class VersionTest {
  /** Set by the build from the project version (see this module's pom). */
  static final String PROJECT_VERSION = System.getProperty("switchboard.project.version", "");

  @Test
  void theVersionIsTheProjectVersion() {
    assertThat(PROJECT_VERSION).as("surefire passes switchboard.project.version").isNotEmpty();
    assertThat(SwitchboardApp.VERSION).isEqualTo(PROJECT_VERSION);
  }

  @Test
  void versionFlagPrintsItAndExitsZero() throws IOException, InterruptedException {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--version")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(output.strip()).isEqualTo("Switchboard " + PROJECT_VERSION);
  }
}
