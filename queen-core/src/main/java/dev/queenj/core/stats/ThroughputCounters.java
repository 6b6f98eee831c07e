package dev.queenj.core.stats;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's counts per queue and minute since they were last drained into {@code queue_stats}. Pushes, pops and
 * acks add to them once per request or batch (one map update per queue touched, not per message), on whatever thread
 * completes the work; the flusher drains them. Every update and the drain of an entry go through the map's atomic
 * {@code compute}/{@code remove}, so a count lands either in the drained copy or in a fresh entry, never nowhere.
 */
public final class ThroughputCounters {
  /** One queue's counts in one minute. */
  public record Key(String queue, Instant minute) {}

  private final Map<Key, long[]> counts = new ConcurrentHashMap<>();
  private final Clock clock;

  public ThroughputCounters() {
    this(Clock.systemUTC());
  }

  ThroughputCounters(Clock clock) {
    this.clock = clock;
  }

  public void pushed(String queue, long messages) {
    add(queue, 0, messages);
  }

  public void popped(String queue, long messages) {
    add(queue, 1, messages);
  }

  public void acked(String queue, long messages) {
    add(queue, 2, messages);
  }

  public void failed(String queue, long messages) {
    add(queue, 3, messages);
  }

  public void deadLettered(String queue, long messages) {
    add(queue, 4, messages);
  }

  private void add(String queue, int kind, long n) {
    if (n <= 0 || queue == null) {
      return;
    }
    Key key = new Key(queue, clock.instant().truncatedTo(ChronoUnit.MINUTES));
    counts.compute(key, (k, values) -> {
      long[] v = values == null ? new long[5] : values;
      v[kind] += n;
      return v;
    });
  }

  /** Takes every count out, for the flusher; what is added meanwhile starts new entries. */
  public Map<Key, Throughput> drain() {
    Map<Key, Throughput> drained = new HashMap<>();
    for (Key key : counts.keySet()) {
      long[] v = counts.remove(key);
      if (v != null) {
        drained.merge(key, of(v), Throughput::plus);
      }
    }
    return drained;
  }

  /** Puts drained counts back, when writing them failed; the next flush tries again. */
  public void restore(Map<Key, Throughput> drained) {
    drained.forEach((key, t) -> counts.compute(key, (k, values) -> {
      long[] v = values == null ? new long[5] : values;
      v[0] += t.pushed();
      v[1] += t.popped();
      v[2] += t.acked();
      v[3] += t.failed();
      v[4] += t.deadLettered();
      return v;
    }));
  }

  /** A copy of the counts not drained yet, to add to what {@code queue_stats} holds when reading. */
  public Map<Key, Throughput> snapshot() {
    Map<Key, Throughput> copy = new HashMap<>();
    counts.forEach((key, v) -> {
      // read under the entry's lock so the five counts are of one moment
      counts.computeIfPresent(key, (k, values) -> {
        copy.put(k, of(values));
        return values;
      });
    });
    return copy;
  }

  private static Throughput of(long[] v) {
    return new Throughput(v[0], v[1], v[2], v[3], v[4]);
  }
}
