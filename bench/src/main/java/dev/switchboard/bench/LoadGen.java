package dev.switchboard.bench;

import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.scenario.Scenario;

/**
 * The load generator: {@code LoadGen SCENARIO --option value ...} runs one scenario against a
 * freshly started server and prints exactly one JSON line on stdout.
 *
 * <pre>
 * LoadGen idle   --peer switchboard|node --connections 5000 --rate 1000 --hold 30
 * LoadGen idle   --peer ... --nodes 6 --redis --client-processes 6 --connections 100000 --hold 40
 * LoadGen fanout --peer ... --subscribers 1000 --rate 100 --duration 10 --warmup 2
 * LoadGen fanout --peer ... --nodes 2 --subscribers 1000 --rate 50      (through a throw-away Redis)
 * LoadGen fanout --peer ... --nodes 1 --redis --sweep --rate 25 --p99-bound-ms 100
 * LoadGen fanout --peer switchboard --subscribers 100 --rate 1000 --write-delay 5
 * LoadGen sse-fanout --peer ... --subscribers 1000 --rate 100
 * LoadGen echo   --peer ... --mode closed --clients 100 --duration 10
 * LoadGen echo   --peer ... --mode open --clients 100 --rate 10000 --duration 10
 * LoadGen floor  --sockets 1000 --frames-per-write 1|4 --messages 2000000
 * </pre>
 *
 * Common options: {@code --client-threads}, {@code --sources} (local addresses 127.0.0.2...),
 * {@code --payload} (padding bytes), {@code --server-threads}, {@code --server-jvm-opts},
 * {@code --server-classpath}, {@code --node-script}, {@code --redis-server}, {@code --count-writes},
 * {@code --pin-cores SERVER/LOADGEN} (server and load generator each on cores of their own, e.g. {@code 0/1}).
 */
public final class LoadGen {
  private LoadGen() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: LoadGen idle|fanout|sse-fanout|echo|floor [--option value]...");
      System.exit(2);
    }
    Options options = Options.parse(args, 1);
    if (dev.switchboard.bench.proc.Peer.wsCompressionThreshold(options) >= 0) {
      // The clients' WebSocket upgrades offer permessage-deflate (see WebSocketUpgrade).
      System.setProperty("bench.offerDeflate", "true");
    }
    JsonLine line = Scenario.named(args[0]).run(options);
    System.out.println(line);
    System.out.flush();
    System.exit(0);
  }
}
