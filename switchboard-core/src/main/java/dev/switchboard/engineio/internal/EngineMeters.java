package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.Transport;
import dev.switchboard.http.internal.Meters;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The handshakes of one Engine.IO server and the endings of its connections, counted by outcome
 * and reason (each a small fixed set, so a bounded number of series), and its open connections
 * by transport, read when meters are scraped.
 */
public final class EngineMeters {
  /** The refusals a handshake itself can meet; other errors answer requests of existing sessions. */
  static final Set<EngineError> HANDSHAKE_REFUSALS = EnumSet.of(EngineError.BAD_HANDSHAKE_METHOD,
      EngineError.TOO_MANY_CONNECTIONS, EngineError.CONNECTING_TOO_FAST, EngineError.UNSUPPORTED_PROTOCOL_VERSION);
  private static final int ACCEPTED = EngineError.values().length;

  /** By transport, then by refusal (ordinal) or {@link #ACCEPTED}. */
  private final LongAdder[][] handshakes = new LongAdder[Transport.values().length][ACCEPTED + 1];
  private final LongAdder[] endings = new LongAdder[CloseReason.values().length];

  EngineMeters() {
    for (LongAdder[] byOutcome : handshakes) {
      for (int i = 0; i < byOutcome.length; i++) {
        byOutcome[i] = new LongAdder();
      }
    }
    for (int i = 0; i < endings.length; i++) {
      endings[i] = new LongAdder();
    }
  }

  void accepted(Transport transport) {
    handshakes[transport.ordinal()][ACCEPTED].increment();
  }

  void refused(Transport transport, EngineError refusal) {
    handshakes[transport.ordinal()][refusal.ordinal()].increment();
  }

  void ended(CloseReason reason) {
    endings[reason.ordinal()].increment();
  }

  /** Handshakes accepted so far, over every transport. */
  public long accepted() {
    long sum = 0;
    for (LongAdder[] byOutcome : handshakes) {
      sum += byOutcome[ACCEPTED].sum();
    }
    return sum;
  }

  /** Connections ended so far for {@code reason}. */
  public long endedFor(CloseReason reason) {
    return endings[reason.ordinal()].sum();
  }

  /** Registers the meters of {@code sessions}, whose handshakes and endings this counts. */
  public void bind(Meters meters, Sessions sessions) {
    for (Transport transport : Transport.values()) {
      meters.gauge("switchboard.connections", "", "Open Engine.IO connections; one counts as polling until its upgrade completes.",
          sessions, s -> s.count(transport), "transport", transport.wireName());
      LongAdder[] byOutcome = handshakes[transport.ordinal()];
      meters.counter("switchboard.handshakes", "", "Engine.IO handshakes, accepted or refused (the refusal's code).",
          byOutcome[ACCEPTED], LongAdder::sum, "transport", transport.wireName(), "result", "accepted");
      for (EngineError refusal : HANDSHAKE_REFUSALS) {
        meters.counter("switchboard.handshakes", "", "Engine.IO handshakes, accepted or refused (the refusal's code).",
            byOutcome[refusal.ordinal()], LongAdder::sum, "transport", transport.wireName(),
            "result", refusal.name().toLowerCase(Locale.ROOT));
      }
    }
    for (CloseReason reason : CloseReason.values()) {
      meters.counter("switchboard.disconnects", "", "Engine.IO connections ended, by reason (as Node's engine.io words it).",
          endings[reason.ordinal()], LongAdder::sum, "reason", reason.text());
    }
  }
}
