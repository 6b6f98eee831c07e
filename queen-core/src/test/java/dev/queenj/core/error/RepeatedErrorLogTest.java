package dev.queenj.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.event.EventRecordingLogger;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

/** One line per failure and interval, with the count of those left out, on a fake clock. */
class RepeatedErrorLogTest {
  private static final Duration INTERVAL = Duration.ofSeconds(60);
  private final Queue<SubstituteLoggingEvent> lines = new ArrayDeque<>();
  private final AtomicLong clock = new AtomicLong(1_000);
  private final RepeatedErrorLog log = new RepeatedErrorLog(
      new EventRecordingLogger(new SubstituteLogger("test", lines, false), lines), INTERVAL, clock::get);

  @Test
  void theSameFailureIsLoggedOncePerIntervalWithTheCountOfThoseLeftOut() {
    IllegalStateException failure = new IllegalStateException("Invalid message timestamp -5");

    // a client retrying in a loop
    for (int i = 0; i < 12_000; i++) {
      log.error("FETCH: poisoned", "Fetch v17 from c at /127.0.0.1:" + (40_000 + i % 7) + " failed", failure);
      clock.addAndGet(Duration.ofMillis(1).toNanos());
    }
    assertThat(lines).hasSize(1);
    SubstituteLoggingEvent first = lines.poll();
    assertThat(first.getLevel()).isEqualTo(Level.ERROR);
    assertThat(first.getMessage()).isEqualTo("Fetch v17 from c at /127.0.0.1:40000 failed");
    assertThat(first.getThrowable()).isSameAs(failure);

    // then past the interval the next occurrence is logged, saying how many were left out
    clock.addAndGet(INTERVAL.toNanos());
    log.error("FETCH: poisoned", "Fetch v17 failed", failure);
    assertThat(lines.poll().getMessage()).isEqualTo("Fetch v17 failed (and 11999 times more since last logged)");

    // and a repeat right after it is left out again
    log.error("FETCH: poisoned", "Fetch v17 failed", failure);
    assertThat(lines).isEmpty();
  }

  @Test
  void differentFailuresAreLoggedEachInTheirOwnRight() {
    RuntimeException one = new RuntimeException("one");
    RuntimeException two = new RuntimeException("two");

    log.error("one", "first failed", one);
    log.error("two", "second failed", two);
    log.error("one", "first failed", one);

    assertThat(lines).extracting(SubstituteLoggingEvent::getMessage).containsExactly("first failed", "second failed");
  }

  @Test
  void manyDistinctFailuresAreAllLoggedAndTheRecentOnesStillLeftOutWhenRepeated() {
    RuntimeException failure = new RuntimeException("x");
    for (int i = 0; i < RepeatedErrorLog.MAX_REMEMBERED * 3; i++) {
      log.error("key " + i, "line " + i, failure);
    }
    // all distinct, so all logged (the remembered ones were forgotten on the way: at most MAX_REMEMBERED are kept)
    assertThat(lines).hasSize(RepeatedErrorLog.MAX_REMEMBERED * 3);
    lines.clear();
    String last = "key " + (RepeatedErrorLog.MAX_REMEMBERED * 3 - 1);
    log.error(last, "again", failure);
    assertThat(lines).isEmpty();
  }
}
