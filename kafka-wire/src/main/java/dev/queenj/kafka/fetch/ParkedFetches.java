package dev.queenj.kafka.fetch;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many Fetch requests wait for records on one listener's instance now (a Fetch with {@code max_wait_ms} and
 * {@code min_bytes} above 0, from its first read to its answer), for the server's metrics: kafka-wire keeps no
 * metrics library, the server reads {@link #count()}.
 */
public final class ParkedFetches {
  private final AtomicInteger parked = new AtomicInteger();

  public int count() {
    return parked.get();
  }

  void parked() {
    parked.incrementAndGet();
  }

  void answered() {
    parked.decrementAndGet();
  }
}
