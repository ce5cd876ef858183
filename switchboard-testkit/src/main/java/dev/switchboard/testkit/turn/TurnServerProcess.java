package dev.switchboard.testkit.turn;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A coturn {@code turnserver} of the test's own on 127.0.0.1, in the shared-secret scheme
 * ({@code use-auth-secret} with one {@code static-auth-secret} per secret given), without TLS or
 * DTLS, relaying between loopback peers. It reads no configuration file, keeps its files in a
 * temporary directory and logs verbosely to a file there, which {@link #log()} reads: what it
 * allocated and whom it refused (401) is checked from there. Never the machine's own TURN server.
 */
public final class TurnServerProcess implements AutoCloseable {
  /** The realm this server answers with. */
  public static final String REALM = "switchboard.test";
  /** How many relay ports it may hand out. */
  private static final int RELAY_PORTS = 40;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final int port;
  private final int minRelayPort;
  private final Process process;

  private TurnServerProcess(Path dir, int port, int minRelayPort, Process process) {
    this.dir = dir;
    this.port = port;
    this.minRelayPort = minRelayPort;
    this.process = process;
  }

  /**
   * Starts a TURN server accepting credentials signed with any of {@code secrets}; waits until it
   * listens. Fails when {@code turnserver} is missing (Debian: {@code coturn}).
   */
  public static TurnServerProcess start(String... secrets) throws IOException {
    if (secrets.length == 0) {
      throw new IllegalArgumentException("at least one secret");
    }
    Path turnserver = executable("TURNSERVER", "turnserver");
    Path dir = Files.createTempDirectory("turnserver-");
    int port = freePort();
    int minRelayPort = freeRelayRange();
    List<String> command = new ArrayList<>(List.of(turnserver.toString(), "-n", "-v",
        "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
        "--min-port=" + minRelayPort, "--max-port=" + (minRelayPort + RELAY_PORTS - 1),
        "--use-auth-secret", "--realm=" + REALM, "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli",
        "--log-file=stdout", "--pidfile=" + dir.resolve("turnserver.pid"), "--userdb=" + dir.resolve("turndb")));
    for (String secret : secrets) {
      command.add("--static-auth-secret=" + secret);
    }
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("turnserver.log").toFile()).start();
    TurnServerProcess turn = new TurnServerProcess(dir, port, minRelayPort, process);
    try {
      turn.awaitListening();
    } catch (IOException | RuntimeException e) {
      turn.close();
      throw e;
    }
    return turn;
  }

  /** The port it listens on for TURN and STUN, over UDP and TCP. */
  public int port() {
    return port;
  }

  /** Its TURN URLs over UDP and TCP, as a server hands them to browsers. */
  public List<String> turnUrls() {
    return List.of("turn:127.0.0.1:" + port + "?transport=udp", "turn:127.0.0.1:" + port + "?transport=tcp");
  }

  /** Its STUN URL. */
  public String stunUrl() {
    return "stun:127.0.0.1:" + port;
  }

  /** The first relay port it may allocate; it uses the next few too. */
  public int minRelayPort() {
    return minRelayPort;
  }

  /**
   * What {@code turnutils_uclient} did with one credential: allocate relays over UDP for two
   * clients and send them a few packets through each other ({@code -y}).
   *
   * @param exitCode 0 when the allocations and the exchange succeeded
   * @param output what the client printed
   */
  public record ClientRun(int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }

  /** Runs {@code turnutils_uclient} against this server with {@code username} and {@code password}; takes about 5 s when it succeeds. */
  public ClientRun allocate(String username, String password) throws IOException, InterruptedException {
    Path uclient = executable("TURNUTILS_UCLIENT", "turnutils_uclient");
    Path output = Files.createTempFile(dir, "uclient-", ".log");
    Process client = new ProcessBuilder(uclient.toString(), "-p", Integer.toString(port), "-u", username, "-w", password,
        "-y", "-c", "-n", "1", "-m", "1", "127.0.0.1").redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!client.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      client.destroyForcibly();
      throw new IOException("turnutils_uclient did not finish within " + CLIENT_TIMEOUT.toSeconds() + " s");
    }
    return new ClientRun(client.exitValue(), Files.readString(output, StandardCharsets.ISO_8859_1));
  }

  /** The server's log so far. */
  public List<String> log() {
    try {
      return Files.readAllLines(dir.resolve("turnserver.log"), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many relay allocations it granted to {@code username}, by its log. */
  public long allocations(String username) {
    return log().stream().filter(line -> line.contains("user <" + username + ">: incoming packet ALLOCATE processed, success")).count();
  }

  /** How many of {@code username}'s requests it refused with 401 Unauthorized, by its log. */
  public long unauthorized(String username) {
    return log().stream().filter(line -> line.contains("user <" + username + ">:") && line.contains("error 401")).count();
  }

  /** How many relay allocations it granted to anyone, by its log. */
  public long allocations() {
    return log().stream().filter(line -> line.contains("incoming packet ALLOCATE processed, success")).count();
  }

  private void awaitListening() throws IOException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!listening()) {
      if (!process.isAlive() || Instant.now().isAfter(deadline)) {
        throw new IOException("turnserver did not start on port " + port + ":\n" + String.join("\n", log()));
      }
      Thread.onSpinWait();
    }
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL) and deletes its directory. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory harms no later test.
    }
  }

  /** A port free for both TCP and UDP on 127.0.0.1. */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = tcp.getLocalPort();
      }
      if (udpFree(port)) {
        return port;
      }
    }
    throw new IOException("no port free for both TCP and UDP");
  }

  /** The first of {@link #RELAY_PORTS} consecutive UDP ports free now, in the dynamic range. */
  private static int freeRelayRange() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(49152, 65535 - RELAY_PORTS);
      boolean free = true;
      for (int port = first; port < first + RELAY_PORTS && free; port++) {
        free = udpFree(port);
      }
      if (free) {
        return first;
      }
    }
    throw new IOException("no free range of " + RELAY_PORTS + " UDP ports");
  }

  private static boolean udpFree(int port) {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Path executable(String envVariable, String name) throws IOException {
    String configured = System.getenv(envVariable);
    if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured))) {
      return Path.of(configured);
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/sbin";
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isBlank() && Files.isExecutable(Path.of(entry, name))) {
        return Path.of(entry, name);
      }
    }
    throw new IOException(name + " was not found on the PATH (or set " + envVariable + "): install coturn");
  }
}
