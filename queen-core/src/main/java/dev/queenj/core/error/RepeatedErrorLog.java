package dev.queenj.core.error;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Error log lines for unexpected failures, without the flood: the first occurrence of a failure is logged with its
 * stack trace; the same failure again within the interval is only counted, and its next line after the interval says
 * how many were left out. A client that retries a failing request in a loop (a Kafka consumer fetches again every few
 * milliseconds) thus costs a line per interval, not thousands a second, and the count still tells how often it
 * happened.
 */
public final class RepeatedErrorLog {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  /** Distinct failures remembered at most; beyond it those whose interval ended are forgotten, or else all. */
  static final int MAX_REMEMBERED = 1_000;

  private final Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** One failure's current interval: when its last line was logged, and how many occurrences were left out since. */
  private record Window(long loggedAt, long leftOut) {}

  public RepeatedErrorLog(Logger logger, Duration interval) {
    this(logger, interval, System::nanoTime);
  }

  RepeatedErrorLog(Logger logger, Duration interval, LongSupplier nanoTime) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("the interval must not be negative, got " + interval);
    }
    this.logger = logger;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Logs {@code line} with {@code failure} at ERROR, unless the failure {@code key} names was logged less than the
   * interval ago. The key says what makes two failures the same (say the operation and the exception's class and
   * message), and leaves out what differs between occurrences of one cause (the client's address).
   */
  public void error(String key, String line, Throwable failure) {
    long now = nanoTime.getAsLong();
    long[] leftOut = {-1};
    windows.compute(key, (k, window) -> {
      if (window != null && now - window.loggedAt() < intervalNanos) {
        return new Window(window.loggedAt(), window.leftOut() + 1);
      }
      leftOut[0] = window == null ? 0 : window.leftOut();
      return new Window(now, 0);
    });
    if (leftOut[0] < 0) {
      return;
    }
    if (windows.size() > MAX_REMEMBERED) {
      forget(now);
    }
    logger.error(leftOut[0] == 0 ? line : line + " (and " + leftOut[0] + " times more since last logged)", failure);
  }

  private void forget(long now) {
    windows.values().removeIf(window -> now - window.loggedAt() >= intervalNanos);
    if (windows.size() > MAX_REMEMBERED) {
      windows.clear();
    }
  }
}
