package dev.queenj.core.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition instead of for a fixed time: returns as soon as it holds, fails once the timeout passed. */
public final class Eventually {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private Eventually() {}

  /** Polls {@code condition} until it holds; fails after {@code timeout} with {@code whyNot}'s description. */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whyNot) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout + ": " + whyNot.get());
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
