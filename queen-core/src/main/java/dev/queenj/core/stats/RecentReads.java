package dev.queenj.core.stats;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads shared by every request of the next {@code maxAgeMs}, per key: however many dashboards poll, a costly read
 * runs at most once per period and key. A failed read is not kept. At most {@link #MAX_KEYS} keys are kept.
 */
final class RecentReads<T> {
  static final int MAX_KEYS = 1_000;

  private record Read<T>(long atNanos, Future<T> result) {}

  private final long maxAgeNanos;
  private final Map<String, Read<T>> reads = new ConcurrentHashMap<>();

  RecentReads(long maxAgeMs) {
    this.maxAgeNanos = maxAgeMs * 1_000_000L;
  }

  Future<T> get(String key, Supplier<Future<T>> read) {
    long now = System.nanoTime();
    Read<T> kept = reads.get(key);
    if (kept != null && fresh(kept, now)) {
      return kept.result();
    }
    if (reads.size() >= MAX_KEYS) {
      reads.values().removeIf(old -> !fresh(old, now));
      if (reads.size() >= MAX_KEYS) {
        reads.clear();
      }
    }
    Future<T> result = read.get();
    reads.put(key, new Read<>(now, result));
    return result;
  }

  /** Forgets every read kept. */
  void clear() {
    reads.clear();
  }

  private boolean fresh(Read<T> read, long now) {
    return now - read.atNanos() < maxAgeNanos && !read.result().failed();
  }
}
