package dev.queenj.compat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that something else makes true (a Connect worker, MirrorMaker 2): returns as soon as it holds,
 * fails at the deadline. Conditions that a client call drives use {@link Clients#until} instead.
 */
final class Await {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private Await() {}

  static void until(String what, long timeoutMs, BooleanSupplier condition) {
    until(what, timeoutMs, condition, () -> "");
  }

  /** As {@link #until(String, long, BooleanSupplier)}, the failure saying what {@code state} shows at the deadline. */
  static void until(String what, long timeoutMs, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeoutMs + " ms: " + what + " " + state.get());
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }
}
