package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Node.js test scripts (of the {@code interop/} project, or of a project given by its
 * directory): finds {@code node} (on the PATH, or the {@code NODE} environment variable), installs
 * the project's packages once when {@code node_modules} is missing, and runs {@code node --test}
 * with the output streamed into the test log.
 */
public final class NodeRunner {
  private static final Logger log = LoggerFactory.getLogger(NodeRunner.class);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  private static boolean installed;

  /** What a script run produced. */
  public record Result(int exitCode, List<String> output) {
    public String outputText() {
      return String.join(System.lineSeparator(), output);
    }
  }

  private NodeRunner() {}

  /** The {@code interop/} directory, found from the working directory upwards. */
  public static Path projectDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("interop");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new AssertionError("no interop/package.json above " + Path.of("").toAbsolutePath());
  }

  /** The node executable; fails the test with a clear message when there is none. */
  public static Path node() {
    return executable("NODE", "node").orElseThrow(() -> new AssertionError(
        "Node.js is required for the interop tests but 'node' was not found on the PATH "
            + "(or set NODE to its location). Install Node.js 18 or later."));
  }

  /**
   * {@link #ensureInstalled()}, and fails the test with a clear message when there is no Chromium
   * for the browser tests ({@code /usr/bin/chromium}, or {@code CHROMIUM}).
   */
  public static void ensureBrowser() {
    ensureInstalled();
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      throw new AssertionError("Chromium is required for the browser tests but " + chromium
          + " is missing; install it (apt-get install chromium) or set CHROMIUM to its location");
    }
  }

  /** Installs the interop packages unless {@code node_modules} is already there. */
  public static synchronized void ensureInstalled() {
    Path project = projectDir();
    Path modules = project.resolve("node_modules");
    if (installed || dependencies(project).stream().allMatch(name -> Files.isRegularFile(modules.resolve(name).resolve("package.json")))) {
      installed = true;
      return;
    }
    install(project);
    installed = true;
  }

  /** The names of the project's dependencies, read from its package.json. */
  private static List<String> dependencies(Path project) {
    try {
      JsonNode json = new ObjectMapper()
          .readTree(project.resolve("package.json").toFile());
      List<String> names = new ArrayList<>();
      json.path("dependencies").fieldNames().forEachRemaining(names::add);
      return names;
    } catch (IOException e) {
      throw new AssertionError("cannot read " + project.resolve("package.json") + ": " + e.getMessage(), e);
    }
  }

  private static void install(Path project) {
    Path node = node();
    Path npm = executable("NPM", "npm").orElseGet(() -> node.resolveSibling("npm"));
    String command = Files.isRegularFile(project.resolve("package-lock.json")) ? "ci" : "install";
    Result result = run(List.of(npm.toString(), command, "--no-audit", "--no-fund"), project, Map.of(), INSTALL_TIMEOUT, "npm");
    if (result.exitCode() != 0) {
      throw new AssertionError("npm " + command + " failed in " + project + " (exit " + result.exitCode() + "):\n"
          + result.outputText());
    }
  }

  /**
   * Runs {@code node --test <script>} in the interop directory with {@code env} added to the
   * environment. The process (and its children) is killed at {@code timeout}, which fails.
   */
  public static Result runTest(String script, Map<String, String> env, Duration timeout) {
    ensureInstalled();
    return runScript(projectDir(), script, env, timeout);
  }

  /**
   * Runs {@code node --test <script>} in the Node project {@code project} (a directory with a
   * {@code package.json}, for example one depending on {@code socket.io-client}), installing its
   * packages first when it has no {@code node_modules}. The process (and its children) is killed
   * at {@code timeout}, which fails.
   */
  public static Result runTest(Path project, String script, Map<String, String> env, Duration timeout) {
    synchronized (NodeRunner.class) {
      if (!Files.isDirectory(project.resolve("node_modules"))) {
        install(project);
      }
    }
    return runScript(project, script, env, timeout);
  }

  private static Result runScript(Path project, String script, Map<String, String> env, Duration timeout) {
    if (!Files.isRegularFile(project.resolve(script))) {
      throw new AssertionError("no script " + project.resolve(script));
    }
    List<String> command = List.of(node().toString(), "--test", "--test-reporter=spec", script);
    return run(command, project, env, timeout, script.substring(script.lastIndexOf('/') + 1));
  }

  private static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout, String label) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("NO_COLOR", "1");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command + ": " + e.getMessage(), e);
    }
    List<String> output = new ArrayList<>();
    Thread pump = Thread.ofPlatform().daemon().name("node-output-" + label).start(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          log.info("[{}] {}", label, line);
          synchronized (output) {
            output.add(line);
          }
        }
      } catch (IOException e) {
        log.debug("output of {} ended: {}", label, e.toString());
      }
    });
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        pump.join(TimeUnit.SECONDS.toMillis(5));
        synchronized (output) {
          throw new AssertionError(label + " did not finish within " + timeout.toSeconds() + " s; output:\n"
              + String.join(System.lineSeparator(), output));
        }
      }
      pump.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + label, e);
    }
    synchronized (output) {
      return new Result(process.exitValue(), List.copyOf(output));
    }
  }

  private static Optional<Path> executable(String envVariable, String name) {
    String configured = System.getenv(envVariable);
    if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured))) {
      return Optional.of(Path.of(configured));
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path candidate = Path.of(entry, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
