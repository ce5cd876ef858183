package dev.switchboard.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every way of changing a socket's data tells the socket, and only a change does. */
class SocketDataTest {
  private final AtomicInteger changes = new AtomicInteger();
  private final SocketData data = new SocketData(changes::incrementAndGet);

  @Test
  void everyChangeIsTold() {
    assertChanges(1, d -> d.put("a", 1));
    assertChanges(1, d -> d.putAll(Map.of("b", 2, "c", 3)));
    assertChanges(1, d -> d.putIfAbsent("d", 4));
    assertChanges(1, d -> d.remove("d"));
    assertChanges(1, d -> d.remove("c", 3));
    assertChanges(1, d -> d.replace("b", 20));
    assertChanges(1, d -> d.replace("b", 20, 21));
    assertChanges(1, d -> d.computeIfAbsent("e", key -> 5));
    assertChanges(1, d -> d.computeIfPresent("e", (key, value) -> 6));
    assertChanges(1, d -> d.compute("e", (key, value) -> 7));
    assertChanges(1, d -> d.merge("e", 1, (a, b) -> (Integer) a + (Integer) b));
    assertChanges(1, d -> d.replaceAll((key, value) -> value));
    assertChanges(1, d -> d.entrySet().iterator().next().setValue(100));
    assertChanges(1, d -> d.keySet().remove("e"));
    assertChanges(1, d -> d.values().removeIf(value -> value.equals(21)));
    assertChanges(1, d -> {
      Iterator<Map.Entry<String, Object>> it = d.entrySet().iterator();
      it.next();
      it.remove();
    });
    assertThat(data).isEmpty();
    data.put("f", 1);
    assertChanges(1, Map::clear);
    assertThat(data).isEmpty();
  }

  @Test
  void readsAndNoOpsAreNotChanges() {
    data.put("a", 1);
    changes.set(0);
    assertChanges(0, d -> d.get("a"));
    assertChanges(0, d -> d.getOrDefault("z", 0));
    assertChanges(0, d -> d.forEach((key, value) -> { }));
    assertChanges(0, d -> d.entrySet().forEach(entry -> { }));
    assertChanges(0, d -> d.putIfAbsent("a", 2));
    assertChanges(0, d -> d.remove("z"));
    assertChanges(0, d -> d.remove("a", 2));
    assertChanges(0, d -> d.replace("z", 1));
    assertChanges(0, d -> d.replace("a", 2, 3));
    assertChanges(0, d -> d.computeIfAbsent("a", key -> 9));
    assertChanges(0, d -> d.putAll(Map.of()));
    assertThat(data).isEqualTo(Map.of("a", 1));
    data.clear();
    changes.set(0);
    assertChanges(0, Map::clear);
  }

  @Test
  void anEntrySetThroughItsEntryIsInTheMap() {
    data.put("a", 1);
    data.entrySet().iterator().next().setValue(2);
    assertThat(data.get("a")).isEqualTo(2);
  }

  private void assertChanges(int expected, Consumer<Map<String, Object>> change) {
    int before = changes.get();
    change.accept(data);
    assertThat(changes.get() - before).isEqualTo(expected);
  }
}
