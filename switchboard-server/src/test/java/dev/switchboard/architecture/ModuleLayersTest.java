package dev.switchboard.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of every module keep to their layers, bottom first:
 *
 * <ol>
 *   <li>{@code limits}: value types and a token bucket, used from the connection accept on up.
 *   <li>{@code http}: bootstrap, router, CORS; in its internal the helpers every layer shares
 *       (JSON, ids, globs, loop affinity, flushing).
 *   <li>{@code engineio}: Engine.IO sessions and transports, and the polling relay they offer a cluster.
 *   <li>{@code history}, {@code presence}: what rooms keep (streams with positions) and who is in them.
 *   <li>{@code cluster}: the SPI a cluster backend implements (broadcasts, shared history and presence).
 *   <li>{@code rooms}: rooms and their transport-agnostic members, the encoded-once broadcast, the
 *       local adapter; it marks broadcasts with their history position and cluster stamp, so it sits
 *       on both.
 *   <li>{@code socketio}, {@code sse}: the two transports of rooms (siblings: no sibling's internals).
 *   <li>{@code auth}: installs on the two transports.
 *   <li>{@code redis} (the cluster on Redis), {@code webrtc} (calls: signaling, TURN, SFU tokens, consent) and
 *       {@code admin} (the Admin UI's server half), siblings,
 *       {@code testkit}, then {@code server}, the standalone server.
 * </ol>
 *
 * It lives here, the top module, because only here are every module's classes on the class path.
 */
class ModuleLayersTest {
  static final List<Set<String>> ALL = List.of(
      Set.of("limits"),
      Set.of("http"),
      Set.of("engineio"),
      Set.of("history", "presence"),
      Set.of("cluster"),
      Set.of("rooms"),
      Set.of("socketio", "sse"),
      Set.of("auth"),
      Set.of("redis"),
      Set.of("webrtc", "admin"),
      Set.of("testkit"),
      Set.of("server"));

  /** {@code "Origin -> Target"} uses of a sibling's internals that are allowed: none. */
  static final Set<String> EXCEPTIONS = Set.of();

  private static final LayerRules rules = new LayerRules(ALL, EXCEPTIONS);
  private static JavaClasses all;

  @BeforeAll
  static void importModules() {
    all = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.switchboard");
  }

  @Test
  void packagesFormNoCycle() {
    rules.noCycles().check(all);
  }

  @Test
  void importsRunDownTheLayers() {
    rules.noUpwardOrSidewaysInternalImports().check(all);
  }

  @Test
  void publicPackagesExposeNoOtherPackagesInternals() {
    rules.noExposedInternals().check(all);
  }
}
