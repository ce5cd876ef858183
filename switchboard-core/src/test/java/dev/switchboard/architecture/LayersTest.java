package dev.switchboard.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's packages keep to their layers, bottom first:
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
 * </ol>
 */
class LayersTest {
  static final List<Set<String>> CORE = List.of(
      Set.of("limits"),
      Set.of("http"),
      Set.of("engineio"),
      Set.of("history", "presence"),
      Set.of("cluster"),
      Set.of("rooms"),
      Set.of("socketio", "sse"),
      Set.of("auth"));

  /**
   * The embeddable server mounts the SSE route over its main namespace's rooms: the one place
   * where the two transports meet, until a composition root above both does it.
   */
  static final Set<String> CORE_EXCEPTIONS = Set.of(
      "dev.switchboard.socketio.SocketIoServer -> dev.switchboard.sse.internal.SseRoomsRoute");

  private static final LayerRules rules = new LayerRules(CORE, CORE_EXCEPTIONS);
  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("dev.switchboard");
  }

  @Test
  void packagesFormNoCycle() {
    rules.noCycles().check(core);
  }

  @Test
  void importsRunDownTheLayers() {
    rules.noUpwardOrSidewaysInternalImports().check(core);
  }

  @Test
  void publicPackagesExposeNoOtherPackagesInternals() {
    rules.noExposedInternals().check(core);
  }
}
