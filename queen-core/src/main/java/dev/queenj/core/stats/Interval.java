package dev.queenj.core.stats;

import dev.queenj.core.error.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The width of a throughput time series' buckets, and the longest window each may cover (its number of points). */
public enum Interval {
  MINUTE(ChronoUnit.MINUTES, Duration.ofHours(24)),
  HOUR(ChronoUnit.HOURS, Duration.ofDays(31));

  private final ChronoUnit unit;
  private final Duration maxWindow;

  Interval(ChronoUnit unit, Duration maxWindow) {
    this.unit = unit;
    this.maxWindow = maxWindow;
  }

  public Instant truncate(Instant time) {
    return time.truncatedTo(unit);
  }

  public Instant next(Instant bucket) {
    return bucket.plus(1, unit);
  }

  public Duration maxWindow() {
    return maxWindow;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Interval parse(String text) {
    for (Interval interval : values()) {
      if (interval.wireName().equals(text)) {
        return interval;
      }
    }
    throw new InvalidRequestException("interval must be minute or hour, got '" + text + "'");
  }
}
