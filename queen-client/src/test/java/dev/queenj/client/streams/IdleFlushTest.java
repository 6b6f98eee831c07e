package dev.queenj.client.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.client.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which partitions the idle flush closes and by which clock, on a fake clock (nanos and epoch ms given). */
class IdleFlushTest {
  private static final long SECOND = 1_000_000_000L;
  private static final RunOptions OPTIONS = RunOptions.defaults().batchSize(10).maxPartitions(2);

  @Test
  void aPartitionIsFlushedOnceAPopAfterItsCommittedBatchLeftItOut() {
    IdleFlush flush = new IdleFlush(Duration.ofSeconds(1), 0);
    flush.took(message("a"), 0);
    flush.committed("a");
    assertThat(flush.due(SECOND)).as("no pop since the batch").isEmpty();

    flush.popped(Set.of("b"), 3, 5_000, OPTIONS);
    assertThat(flush.due(SECOND + SECOND / 2)).as("the interval has not passed since the last look").isEmpty();
    assertThat(flush.due(2 * SECOND)).containsExactly(new IdleFlush.Due("a", "name-a", "streams.q", 5_000));
    assertThat(flush.due(2 * SECOND + 1)).as("once per interval").isEmpty();

    flush.popped(Set.of(), 0, 7_000, OPTIONS);
    assertThat(flush.due(3 * SECOND)).as("by the latest pop that showed it drained")
        .containsExactly(new IdleFlush.Due("a", "name-a", "streams.q", 7_000));
    flush.took(message("a"), 3 * SECOND);
    assertThat(flush.due(4 * SECOND)).as("a new batch makes it pending again").isEmpty();
  }

  @Test
  void aFullPopOrAnUncommittedBatchSaysNothingAboutAPartition() {
    IdleFlush flush = new IdleFlush(Duration.ofSeconds(1), 0);
    flush.took(message("a"), 0);
    flush.committed("a");
    flush.took(message("c"), 0); // its cycle failed: its lease hides its pending messages from pops

    flush.popped(Set.of("b"), 10, 5_000, OPTIONS);
    flush.popped(Set.of("b", "d"), 4, 5_000, OPTIONS);
    assertThat(flush.due(SECOND)).as("at the batch cap or the partition cap others may be pending").isEmpty();

    flush.popped(Set.of(), 0, 6_000, OPTIONS);
    assertThat(flush.due(2 * SECOND)).extracting(IdleFlush.Due::partitionId).containsExactly("a");
  }

  @Test
  void partitionsUntouchedForFiveMinutesAndDisabledFlushesAreLeftAlone() {
    IdleFlush flush = new IdleFlush(Duration.ofSeconds(1), 0);
    flush.took(message("a"), 0);
    flush.committed("a");
    flush.popped(Set.of(), 0, 5_000, OPTIONS);
    assertThat(flush.due(IdleFlush.RECENT.toNanos() + 1)).isEmpty();

    IdleFlush off = new IdleFlush(Duration.ZERO, 0);
    off.took(message("a"), 0);
    off.committed("a");
    off.popped(Set.of(), 0, 5_000, OPTIONS);
    assertThat(off.due(SECOND)).isEmpty();

    Stream windowed = Stream.from(null, "in").session(Duration.ofSeconds(1)).aggregate(0, (a, b) -> a);
    Stream eventTime = Stream.from(null, "in").session(Duration.ofSeconds(1)).eventTime(v -> 0)
        .aggregate(0, (a, b) -> a);
    IdleFlush sessions = IdleFlush.of(windowed, RunOptions.defaults(), 0);
    sessions.took(message("a"), 0);
    sessions.committed("a");
    sessions.popped(Set.of(), 0, 5_000, RunOptions.defaults());
    assertThat(sessions.due(SECOND)).as("a session's default interval: 1 s").hasSize(1);
    IdleFlush byEventTime = IdleFlush.of(eventTime, RunOptions.defaults().idleFlush(Duration.ofMillis(1)), 0);
    byEventTime.took(message("a"), 0);
    byEventTime.committed("a");
    byEventTime.popped(Set.of(), 0, 5_000, RunOptions.defaults());
    assertThat(byEventTime.due(SECOND)).as("event time moves with the data only").isEmpty();
  }

  private static Message message(String partitionId) {
    return new Message("m", "t", null, null, null, Instant.EPOCH, "in", "name-" + partitionId, partitionId, "lease",
        "streams.q", 0);
  }
}
