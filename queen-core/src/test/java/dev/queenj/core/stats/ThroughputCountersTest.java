package dev.queenj.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** In-memory counts per queue and minute: nothing lost between a drain, a failed flush and new counts. */
class ThroughputCountersTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T10:00:30Z"));
  private final ThroughputCounters counters = new ThroughputCounters(new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  });

  @Test
  void countsGoToTheirQueueAndMinute() {
    counters.pushed("q", 3);
    counters.popped("q", 2);
    counters.acked("q", 1);
    now.set(Instant.parse("2026-01-01T10:01:05Z"));
    counters.failed("q", 1);
    counters.deadLettered("other", 4);
    counters.pushed("q", 0); // nothing: no entry

    Map<ThroughputCounters.Key, Throughput> drained = counters.drain();

    assertThat(drained).containsOnly(
        Map.entry(key("q", "2026-01-01T10:00:00Z"), new Throughput(3, 2, 1, 0, 0)),
        Map.entry(key("q", "2026-01-01T10:01:00Z"), new Throughput(0, 0, 0, 1, 0)),
        Map.entry(key("other", "2026-01-01T10:01:00Z"), new Throughput(0, 0, 0, 0, 4)));
    assertThat(counters.drain()).isEmpty();
  }

  @Test
  void aFailedFlushPutsItsCountsBackBesideNewOnes() {
    counters.pushed("q", 5);
    Map<ThroughputCounters.Key, Throughput> drained = counters.drain();
    counters.pushed("q", 2);

    counters.restore(drained);

    assertThat(counters.snapshot()).containsOnly(
        Map.entry(key("q", "2026-01-01T10:00:00Z"), new Throughput(7, 0, 0, 0, 0)));
    assertThat(counters.drain().get(key("q", "2026-01-01T10:00:00Z")).pushed()).isEqualTo(7);
  }

  @Test
  void concurrentCountsAreAllDrainedExactlyOnce() throws InterruptedException {
    int threads = 4;
    int perThread = 20_000;
    Thread[] workers = new Thread[threads];
    long[] drainedTotal = new long[1];
    for (int t = 0; t < threads; t++) {
      workers[t] = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          counters.pushed("q" + (i % 3), 1);
        }
      });
      workers[t].start();
    }
    // drains while the workers count, as the flusher does
    boolean running = true;
    while (running) {
      counters.drain().values().forEach(t -> drainedTotal[0] += t.pushed());
      running = false;
      for (Thread worker : workers) {
        running |= worker.isAlive();
      }
    }
    for (Thread worker : workers) {
      worker.join();
    }
    counters.drain().values().forEach(t -> drainedTotal[0] += t.pushed());

    assertThat(drainedTotal[0]).isEqualTo((long) threads * perThread);
  }

  private static ThroughputCounters.Key key(String queue, String minute) {
    return new ThroughputCounters.Key(queue, Instant.parse(minute));
  }
}
