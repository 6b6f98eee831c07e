package dev.queenj.core.resources;

import io.vertx.core.Future;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The latest read of every queue's message counts, shared by every request of this instance while it is recent: the
 * count reads the whole message log (one pass over {@code messages}), so however many dashboards or scripts poll the
 * overview, the queue list, namespaces and tasks, an instance runs it at most once per window.
 *
 * <p>The window is {@code minReuseMs}, or {@link #SLOW_READ_FACTOR} times as long as the last read took when that is
 * longer: a read of a large log taking 2 s is then reused for 20 s, so counting keeps at most a tenth of one database
 * connection busy whatever the log's size. A read is not reused for a queue it did not see (created after it), so a
 * new queue shows up at once; counts of existing queues are up to a window old, and the answer says how old.
 */
final class SharedCounts {
  static final int SLOW_READ_FACTOR = 10;

  /** One read: the queues it covers, when it started, how long it took (0 while under way), and its result. */
  private record Read(Set<UUID> queues, long startNanos, AtomicLong tookNanos, Future<CountsSnapshot> result) {}

  private final long minReuseNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong reads = new AtomicLong();
  private volatile Read latest;

  SharedCounts(long minReuseMs) {
    this(minReuseMs, System::nanoTime);
  }

  SharedCounts(long minReuseMs, LongSupplier nanoClock) {
    this.minReuseNanos = minReuseMs * 1_000_000L;
    this.nanoClock = nanoClock;
  }

  /** The latest read if it is recent, covers {@code queues} and did not fail; else a new read of {@code read}. */
  synchronized Future<CountsSnapshot> get(Set<UUID> queues, Supplier<Future<CountsSnapshot>> read) {
    long now = nanoClock.getAsLong();
    Read kept = latest;
    if (kept != null && reusable(kept, queues, now)) {
      return kept.result();
    }
    reads.incrementAndGet();
    AtomicLong took = new AtomicLong();
    Future<CountsSnapshot> result = read.get().andThen(done -> took.set(Math.max(1, nanoClock.getAsLong() - now)));
    latest = new Read(Set.copyOf(queues), now, took, result);
    return result;
  }

  /** How many reads ran: a request answered from a recent read adds none. */
  long reads() {
    return reads.get();
  }

  private boolean reusable(Read read, Set<UUID> queues, long now) {
    if (read.result().failed() || !read.queues().containsAll(queues)) {
      return false;
    }
    long took = read.tookNanos().get();
    if (took == 0) {
      return true; // under way: its answer is the newest there will be
    }
    return now - read.startNanos() < Math.max(minReuseNanos, SLOW_READ_FACTOR * took);
  }
}
