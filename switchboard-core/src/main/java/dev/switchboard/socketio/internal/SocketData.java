package dev.switchboard.socketio.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A socket's {@code data}: a concurrent map that tells its socket of every change, however it is
 * made (through the map, its views, their iterators or entries), so that a cluster keeping the
 * socket's state for recovery writes data-only changes too. Thread-safe, as the map it wraps.
 */
final class SocketData extends AbstractMap<String, Object> implements ConcurrentMap<String, Object> {
  private final ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();
  private final Runnable changed;
  private final Set<Map.Entry<String, Object>> entries = new Entries();

  /** {@code changed} runs after each change, on the thread that made it. */
  SocketData(Runnable changed) {
    this.changed = changed;
  }

  @Override
  public Object get(Object key) {
    return map.get(key);
  }

  @Override
  public Object getOrDefault(Object key, Object fallback) {
    return map.getOrDefault(key, fallback);
  }

  @Override
  public boolean containsKey(Object key) {
    return map.containsKey(key);
  }

  @Override
  public int size() {
    return map.size();
  }

  @Override
  public boolean isEmpty() {
    return map.isEmpty();
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    map.forEach(action);
  }

  @Override
  public Object put(String key, Object value) {
    Object old = map.put(key, value);
    changed.run();
    return old;
  }

  @Override
  public void putAll(Map<? extends String, ?> values) {
    if (!values.isEmpty()) {
      map.putAll(values);
      changed.run();
    }
  }

  @Override
  public Object putIfAbsent(String key, Object value) {
    Object old = map.putIfAbsent(key, value);
    if (old == null) {
      changed.run();
    }
    return old;
  }

  @Override
  public Object remove(Object key) {
    Object old = map.remove(key);
    if (old != null) {
      changed.run();
    }
    return old;
  }

  @Override
  public boolean remove(Object key, Object value) {
    return ran(map.remove(key, value));
  }

  @Override
  public boolean replace(String key, Object expected, Object value) {
    return ran(map.replace(key, expected, value));
  }

  @Override
  public Object replace(String key, Object value) {
    Object old = map.replace(key, value);
    if (old != null) {
      changed.run();
    }
    return old;
  }

  @Override
  public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
    map.replaceAll(function);
    changed.run();
  }

  @Override
  public Object computeIfAbsent(String key, Function<? super String, ?> function) {
    Object before = map.get(key);
    Object after = map.computeIfAbsent(key, function);
    if (after != before) {
      changed.run();
    }
    return after;
  }

  @Override
  public Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> function) {
    Object after = map.computeIfPresent(key, function);
    changed.run();
    return after;
  }

  @Override
  public Object compute(String key, BiFunction<? super String, ? super Object, ?> function) {
    Object after = map.compute(key, function);
    changed.run();
    return after;
  }

  @Override
  public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> function) {
    Object after = map.merge(key, value, function);
    changed.run();
    return after;
  }

  @Override
  public void clear() {
    if (!map.isEmpty()) {
      map.clear();
      changed.run();
    }
  }

  /** The entries, whose removals and {@code setValue} are changes too ({@link #keySet} and {@link #values} go through them). */
  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return entries;
  }

  private boolean ran(boolean didChange) {
    if (didChange) {
      changed.run();
    }
    return didChange;
  }

  private final class Entries extends AbstractSet<Map.Entry<String, Object>> {
    @Override
    public Iterator<Map.Entry<String, Object>> iterator() {
      Iterator<Map.Entry<String, Object>> inner = map.entrySet().iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return inner.hasNext();
        }

        @Override
        public Map.Entry<String, Object> next() {
          Map.Entry<String, Object> entry = inner.next();
          return new SimpleEntry<>(entry) {
            @Override
            public Object setValue(Object value) {
              super.setValue(value);
              return SocketData.this.put(entry.getKey(), value);
            }
          };
        }

        @Override
        public void remove() {
          inner.remove();
          changed.run();
        }
      };
    }

    @Override
    public int size() {
      return map.size();
    }

    @Override
    public void clear() {
      SocketData.this.clear();
    }
  }
}
