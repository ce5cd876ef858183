package dev.switchboard.http.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The meters one component registers in the registry it was given, if any, removed again when the
 * component closes. Counting itself never touches a meter: components count in plain adders and
 * {@link LoopCounter}s, which the meters registered here read when the registry is scraped. Without
 * a registry nothing is registered and nothing is measured beyond those adders.
 *
 * <p>Meter names follow Micrometer's conventions (dot-separated, lower case, no unit in the name:
 * the base unit is given apart). One registry serves one server: a meter registered again under
 * the same name and tags stays the first one (Micrometer's rule).
 */
public final class Meters implements AutoCloseable {
  /** Registers nothing. */
  public static final Meters NONE = new Meters(Optional.empty());

  private final Optional<MeterRegistry> registry;
  /** What this component registered, by id, so that a repeated registration is no new meter. */
  private final ConcurrentHashMap<Meter.Id, Meter> registered = new ConcurrentHashMap<>();

  private Meters(Optional<MeterRegistry> registry) {
    this.registry = registry;
  }

  public static Meters of(Optional<MeterRegistry> registry) {
    return registry.isEmpty() ? NONE : new Meters(registry);
  }

  /** Whether meters are registered at all. */
  public boolean on() {
    return registry.isPresent();
  }

  /**
   * A counter reading {@code count} of {@code state} (monotonic); {@code tags} are key, value pairs.
   * {@code unit} is Micrometer's base unit ("bytes") or empty.
   */
  public <T> void counter(String name, String unit, String description, T state, ToDoubleFunction<T> count, String... tags) {
    registry.ifPresent(r -> keep(FunctionCounter.builder(name, state, count).baseUnit(unit.isEmpty() ? null : unit)
        .description(description).tags(tags).register(r)));
  }

  /** A gauge reading {@code value} of {@code state} whenever the registry is read. */
  public <T> void gauge(String name, String unit, String description, T state, ToDoubleFunction<T> value, String... tags) {
    registry.ifPresent(r -> keep(Gauge.builder(name, state, value).baseUnit(unit.isEmpty() ? null : unit)
        .description(description).tags(tags).strongReference(true).register(r)));
  }

  /** A timer (count, total and maximum of the durations recorded), when there is a registry. */
  public Optional<Timer> timer(String name, String description, String... tags) {
    return registry.map(r -> keep(Timer.builder(name).description(description).tags(tags).register(r)));
  }

  private <M extends Meter> M keep(M meter) {
    registered.putIfAbsent(meter.getId(), meter);
    return meter;
  }

  /** Removes every meter registered here from the registry. */
  @Override
  public void close() {
    registry.ifPresent(r -> registered.values().forEach(r::remove));
    registered.clear();
  }
}
