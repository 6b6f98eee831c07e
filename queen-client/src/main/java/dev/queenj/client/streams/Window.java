package dev.queenj.client.streams;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How records are grouped in time: the closed set of Queen's window kinds. Each kind names its state rows the way
 * Queen's SDKs do (spec §1), so the rows read the same in SQL whichever language wrote them: bucketed windows
 * {@code <tag>␟<windowStart as ISO-8601>␟<userKey>} → {@code {"acc","windowStart","windowEnd"}}, open sessions
 * {@code sess:<gap>␟open␟<userKey>} → {@code {"acc","sessionStart","lastEventTime"}}.
 */
sealed interface Window permits Window.Buckets, Window.Session {
  char SEP = '\u001f';

  /** The state keys' first part, e.g. {@code tumb:60}; numbers in seconds, written as Queen's SDKs write them. */
  String tag();

  /** How often the idle flush runs when the run options do not say: Queen's SDKs' default for this kind. */
  Duration defaultIdleFlush();

  /** Fixed windows a record's time falls in: tumbling, sliding and cron. */
  sealed interface Buckets extends Window permits Tumbling, Sliding, Cron {
    /** The starts of the windows {@code eventTimeMs} falls in, oldest first. */
    long[] starts(long eventTimeMs);

    /** The end (exclusive) of the window starting at {@code start}. */
    long end(long start);

    default String stateKey(long start, String userKey) {
      return tag() + SEP + iso(start) + SEP + userKey;
    }
  }

  /** Epoch-aligned windows {@code [k·size, (k+1)·size)}. */
  record Tumbling(long sizeMs) implements Buckets {
    public Tumbling {
      if (sizeMs < 1) {
        throw new IllegalArgumentException("a tumbling window is at least 1 ms");
      }
    }

    @Override
    public long[] starts(long eventTimeMs) {
      return new long[] {Math.floorDiv(eventTimeMs, sizeMs) * sizeMs};
    }

    @Override
    public long end(long start) {
      return start + sizeMs;
    }

    @Override
    public String tag() {
      return "tumb:" + seconds(sizeMs);
    }


    @Override
    public Duration defaultIdleFlush() {
      return Duration.ofSeconds(5);
    }
  }

  /**
   * Windows of {@code size} starting every {@code slide} (epoch-aligned), so a record falls in size/slide of them;
   * Queen's SDKs require the size to be a whole multiple of the slide.
   */
  record Sliding(long sizeMs, long slideMs) implements Buckets {
    public Sliding {
      if (sizeMs < 1 || slideMs < 1) {
        throw new IllegalArgumentException("a sliding window's size and slide are at least 1 ms");
      }
      if (sizeMs % slideMs != 0) {
        throw new IllegalArgumentException("a sliding window's size must be an integer multiple of its slide");
      }
    }

    @Override
    public long[] starts(long eventTimeMs) {
      int count = (int) (sizeMs / slideMs);
      long latest = Math.floorDiv(eventTimeMs, slideMs) * slideMs;
      long[] starts = new long[count];
      for (int i = 0; i < count; i++) {
        starts[i] = latest - (count - 1 - i) * slideMs;
      }
      return starts;
    }

    @Override
    public long end(long start) {
      return start + sizeMs;
    }

    @Override
    public String tag() {
      return "slide:" + seconds(sizeMs) + ":" + seconds(slideMs);
    }


    @Override
    public Duration defaultIdleFlush() {
      return Duration.ofSeconds(5);
    }
  }

  /**
   * Wall-clock buckets as Queen's {@code windowCron(every)}: every second, minute, hour or day aligned to UTC, or
   * every week from Monday 00:00 UTC. Tag {@code cron:<every>}.
   */
  record Cron(Every every) implements Buckets {
    /** 1970-01-01 was a Thursday: weeks start four days after the epoch, on a Monday. */
    private static final long WEEK_OFFSET_MS = Duration.ofDays(4).toMillis();

    public Cron {
      if (every == null) {
        throw new IllegalArgumentException("a cron window needs its period");
      }
    }

    @Override
    public long[] starts(long eventTimeMs) {
      long size = every.duration.toMillis();
      long offset = every == Every.WEEK ? WEEK_OFFSET_MS : 0;
      return new long[] {Math.floorDiv(eventTimeMs - offset, size) * size + offset};
    }

    @Override
    public long end(long start) {
      return start + every.duration.toMillis();
    }

    @Override
    public String tag() {
      return "cron:" + every.name().toLowerCase(Locale.ROOT);
    }


    @Override
    public Duration defaultIdleFlush() {
      return Duration.ofSeconds(30);
    }
  }

  /** The periods Queen's cron windows know. */
  enum Every {
    SECOND(Duration.ofSeconds(1)), MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1)),
    WEEK(Duration.ofDays(7));

    private final Duration duration;

    Every(Duration duration) {
      this.duration = duration;
    }
  }

  /**
   * Per-key activity windows: a session holds a key's records until none arrives within {@code gap} of the last;
   * it spans {@code [first record, last record + gap)}.
   */
  record Session(long gapMs) implements Window {
    public Session {
      if (gapMs < 1) {
        throw new IllegalArgumentException("a session gap is at least 1 ms");
      }
    }

    /** The prefix of the open sessions' state keys. */
    String openPrefix() {
      return tag() + SEP + "open" + SEP;
    }

    @Override
    public String tag() {
      return "sess:" + seconds(gapMs);
    }


    @Override
    public Duration defaultIdleFlush() {
      return Duration.ofSeconds(1);
    }
  }

  /** Milliseconds as Queen's SDKs print seconds in tags: {@code 60}, {@code 0.5}. */
  static String seconds(long ms) {
    return BigDecimal.valueOf(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
  }

  /** A window start as Queen's SDKs key it (JavaScript's {@code toISOString}, UTC with milliseconds). */
  static String iso(long epochMs) {
    return ISO.format(Instant.ofEpochMilli(epochMs));
  }

  DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
}
