package dev.queenj.core.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a read of every queue's counts is reused and when it is redone, on a clock the test moves. */
class SharedCountsTest {
  private static final UUID A = UUID.randomUUID();
  private static final UUID B = UUID.randomUUID();

  private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
  private final SharedCounts counts = new SharedCounts(5_000, now::get);

  @Test
  void aReadIsReusedForTheWindowThenRedone() {
    Future<CountsSnapshot> first = counts.get(Set.of(A), SharedCountsTest::done);
    at(4_900);
    assertThat(counts.get(Set.of(A), SharedCountsTest::done)).isSameAs(first);
    at(5_000);
    assertThat(counts.get(Set.of(A), SharedCountsTest::done)).isNotSameAs(first);
    assertThat(counts.reads()).isEqualTo(2);
  }

  @Test
  void aSlowReadIsReusedTenTimesAsLongAsItTook() {
    // given: a read that takes 2 s
    Promise<CountsSnapshot> slow = Promise.promise();
    Future<CountsSnapshot> first = counts.get(Set.of(A), slow::future);
    at(1_000);
    assertThat(counts.get(Set.of(A), SharedCountsTest::done)).as("under way: shared").isSameAs(first);
    at(2_000);
    slow.complete(snapshot());

    // then: reused for 20 s from its start, not 5
    at(19_900);
    assertThat(counts.get(Set.of(A), SharedCountsTest::done)).isSameAs(first);
    at(20_000);
    assertThat(counts.get(Set.of(A), SharedCountsTest::done)).isNotSameAs(first);
    assertThat(counts.reads()).isEqualTo(2);
  }

  @Test
  void aQueueTheReadDidNotSeeOrAFailedReadIsReadAgain() {
    Future<CountsSnapshot> first = counts.get(Set.of(A), SharedCountsTest::done);
    assertThat(counts.get(Set.of(), SharedCountsTest::done)).as("a queue deleted since").isSameAs(first);
    Future<CountsSnapshot> withB = counts.get(Set.of(A, B), SharedCountsTest::done);
    assertThat(withB).isNotSameAs(first);

    Future<CountsSnapshot> failed = counts.get(Set.of(A, B, UUID.randomUUID()),
        () -> Future.failedFuture(new IllegalStateException("database away")));
    assertThat(counts.get(Set.of(A), SharedCountsTest::done)).isNotSameAs(failed);
    assertThat(counts.reads()).isEqualTo(4);
  }

  private void at(long ms) {
    now.set(TimeUnit.HOURS.toNanos(1) + TimeUnit.MILLISECONDS.toNanos(ms));
  }

  private static Future<CountsSnapshot> done() {
    return Future.succeededFuture(snapshot());
  }

  private static CountsSnapshot snapshot() {
    return new CountsSnapshot(List.of(), List.of(), OffsetDateTime.now(ZoneOffset.UTC));
  }
}
