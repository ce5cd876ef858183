package dev.switchboard.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of every module together: the core's (as its own layer test gives them), then the
 * cluster on Redis, the test kit, and the standalone server on top.
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
      Set.of("testkit"),
      Set.of("server"));

  /** As in the core: the embeddable server mounts the SSE route over its main namespace's rooms. */
  static final Set<String> EXCEPTIONS = Set.of(
      "dev.switchboard.socketio.SocketIoServer -> dev.switchboard.sse.internal.SseRoomsRoute");

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
