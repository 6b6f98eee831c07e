package dev.queenj.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lease kept alive by scheduled extensions (see {@link QueenClient#renewLease}). Close it when the work is done,
 * before or after the ack. Renewal stops by itself when an extension is refused or the maximum time has passed.
 */
public final class LeaseRenewal implements AutoCloseable {
  private final QueenClient client;
  private final String leaseId;
  private final Duration extension;
  private final long deadlineNanos;
  private final AtomicInteger renewals = new AtomicInteger();
  private volatile ScheduledFuture<?> task;
  private volatile boolean closed;

  private LeaseRenewal(QueenClient client, String leaseId, Duration extension, Duration max) {
    this.client = client;
    this.leaseId = leaseId;
    this.extension = extension;
    this.deadlineNanos = System.nanoTime() + max.toNanos();
  }

  static LeaseRenewal start(QueenClient client, ScheduledExecutorService scheduler, String leaseId,
      Duration extension, Duration max) {
    if (leaseId == null || leaseId.isEmpty()) {
      throw new IllegalArgumentException("no lease to renew (an auto-acked pop holds none)");
    }
    if (extension.toSeconds() < 2) {
      throw new IllegalArgumentException("a lease extension is at least 2 s, got " + extension);
    }
    LeaseRenewal renewal = new LeaseRenewal(client, leaseId, extension, max);
    long periodMillis = extension.toMillis() / 2;
    renewal.task = scheduler.scheduleAtFixedRate(renewal::renew, 0, periodMillis, TimeUnit.MILLISECONDS);
    return renewal;
  }

  /** How many extensions the server accepted so far. */
  public int renewals() {
    return renewals.get();
  }

  public boolean isActive() {
    return !closed;
  }

  private void renew() {
    if (closed) {
      return;
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      close();
      return;
    }
    client.extendLease(leaseId, extension).whenComplete((answer, failure) -> {
      if (failure != null) {
        return; // a lost request is retried on the next tick, half an extension before the lease runs out
      }
      if (answer.success()) {
        renewals.incrementAndGet();
      } else {
        close();
      }
    });
  }

  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> scheduled = task;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
  }
}
