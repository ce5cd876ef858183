package dev.switchboard.bench.proc;

import dev.switchboard.bench.cli.Options;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A server implementation of the bench contract, and the command that starts it on a port. */
public enum Peer {
  SWITCHBOARD("switchboard") {
    @Override
    List<String> command(int port, Options options, String redisUri) {
      List<String> command = new ArrayList<>();
      command.add(options.text("java", ProcessHandle.current().info().command().orElse("java")));
      command.add("--enable-native-access=ALL-UNNAMED");
      String jvmOptions = options.text("server-jvm-opts", DEFAULT_SERVER_JVM_OPTS).trim();
      if (!jvmOptions.isEmpty()) {
        command.addAll(Arrays.asList(jvmOptions.split("\\s+")));
      }
      command.add("-Dswitchboard.writeDelay=" + writeDelayMillis(options));
      command.add("-Dswitchboard.wsCompression=" + wsCompressionThreshold(options));
      command.add("-Dswitchboard.parser=" + parser(options));
      command.add("-Dswitchboard.kept=" + options.flag("kept"));
      command.add("-Dswitchboard.liveSessions=" + options.text("live-sessions", "true"));
      command.add("-Dswitchboard.presenceDiffInterval=" + options.integer("presence-diff-interval", 200));
      command.add("-Dswitchboard.presenceAll=" + options.flag("presence-all"));
      if (options.integer("ping-interval", 0) > 0) {
        command.add("-Dswitchboard.pingInterval=" + options.integer("ping-interval", 0));
      }
      if (options.integer("ping-timeout", 0) > 0) {
        command.add("-Dswitchboard.pingTimeout=" + options.integer("ping-timeout", 0));
      }
      if (!redisUri.isEmpty()) {
        command.add("-Dswitchboard.redis=" + redisUri);
      }
      command.add("-cp");
      command.add(options.text("server-classpath", System.getProperty("java.class.path")));
      command.add("dev.switchboard.bench.BenchServer");
      command.add(Integer.toString(port));
      command.add(Integer.toString(options.integer("server-threads", 0)));
      return command;
    }
  },
  NODE("node") {
    @Override
    List<String> command(int port, Options options, String redisUri) {
      if (writeDelayMillis(options) > 0) {
        throw new IllegalArgumentException("--write-delay is a Switchboard option: Node's socket.io has none");
      }
      if (!parser(options).equals("json")) {
        throw new IllegalArgumentException("--parser msgpack is measured on Switchboard only: bench/node/server.mjs speaks JSON");
      }
      String script = Path.of(options.text("node-script", "bench/node/server.mjs")).toAbsolutePath().toString();
      return List.of(options.text("node", "node"), script, Integer.toString(port), redisUri);
    }
  };

  /**
   * The flags {@code bin/switchboard} runs the server with: Serial GC with a small fixed young
   * generation, so memory tracks the connections held (see bench/README.md).
   */
  static final String DEFAULT_SERVER_JVM_OPTS = "-XX:+UseSerialGC -Xms64m -Xmn16m -Dio.netty.leakDetection.samplingInterval=1024"
      + (Runtime.version().feature() >= 22 ? " -XX:TrimNativeHeapInterval=5000" : "");

  private final String label;

  Peer(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The command serving the contract on {@code port}; {@code redisUri} empty for a single node. */
  abstract List<String> command(int port, Options options, String redisUri);

  /**
   * {@code --ws-compression BYTES}: Switchboard compresses WebSocket messages from that many bytes
   * with permessage-deflate, and the load generator's clients offer it; -1 (the default): off.
   */
  public static int wsCompressionThreshold(Options options) {
    return options.integer("ws-compression", -1);
  }

  /**
   * {@code --parser}: {@code json} (the default) or {@code msgpack}, the server's Socket.IO parser
   * ({@code socket.io-msgpack-parser}'s packets), which the load generator's clients then speak.
   */
  public static String parser(Options options) {
    String parser = options.text("parser", "json");
    if (!parser.equals("json") && !parser.equals("msgpack")) {
      throw new IllegalArgumentException("--parser is json or msgpack, got " + parser);
    }
    return parser;
  }

  /** {@code --write-delay}: how long Switchboard may hold a flush to coalesce writes, in ms. */
  public static long writeDelayMillis(Options options) {
    return options.integer("write-delay", 0);
  }

  public static Peer named(String name) {
    for (Peer peer : values()) {
      if (peer.label.equalsIgnoreCase(name)) {
        return peer;
      }
    }
    throw new IllegalArgumentException("unknown peer '" + name + "' (switchboard or node)");
  }
}
