package dev.queenj.core.stats;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.core.trace.TraceEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-minute throughput kept by several instances over one database, and what the flusher prunes. */
class StatsServiceTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(2);

  @Test
  void instancesAddTheirCountsAndAReaderSeesTheSum() {
    // given: two instances pushing to one queue, a third that only reads
    QueenCore one = new QueenCore(db.database(), 2);
    QueenCore two = new QueenCore(db.database(), 2);
    QueenCore reader = new QueenCore(db.database(), 2);
    await(one.push().push(List.of(item("a1"), item("a2"))));
    await(two.push().push(List.of(item("b1"))));
    await(two.push().push(List.of(item("a1")))); // a duplicate: not counted

    // when
    await(one.stats().flush());
    await(two.stats().flush());
    await(two.stats().flush()); // nothing left to add: changes nothing

    // then
    Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    Instant from = to.minus(10, ChronoUnit.MINUTES);
    assertThat(await(reader.stats().byQueue(from, to)).get("q").pushed()).isEqualTo(3);
    List<Bucket> series = await(reader.stats().series("q", from, to, Interval.MINUTE));
    assertThat(series).hasSize(10);
    assertThat(series.stream().mapToLong(b -> b.throughput().pushed()).sum()).isEqualTo(3);
    assertThat(await(reader.stats().series("other", from, to, Interval.MINUTE)))
        .allSatisfy(b -> assertThat(b.throughput().isZero()).isTrue());
  }

  @Test
  void countsNotFlushedYetAreReadToo() {
    QueenCore core = new QueenCore(db.database(), 2);
    await(core.push().push(List.of(item("x1"))));
    await(core.stats().flush());
    await(core.push().push(List.of(item("x2"), item("x3"))));

    Instant to = Instant.now().plus(1, ChronoUnit.MINUTES);
    assertThat(await(core.stats().byQueue(to.minus(1, ChronoUnit.HOURS), to)).get("q").pushed()).isEqualTo(3);
  }

  @Test
  void pruneForgetsStatisticsAndTracesPastTheRetention() {
    QueenCore core = new QueenCore(db.database(), 2);
    UUID partition = await(core.push().push(List.of(item("t1")))).get(0).partitionId();
    await(core.traces().record(new TraceEvent(partition, "t1", "{\"old\":true}", null, null, List.of("n"))));
    await(core.traces().record(new TraceEvent(partition, "t1", "{\"old\":false}", null, null, List.of("n"))));
    await(core.stats().flush());
    await(db.database().pool().query("INSERT INTO queue_stats (minute, queue_name, pushed) "
        + "VALUES (now() - interval '8 days', 'q', 5)").execute());
    await(db.database().pool().query("UPDATE message_traces SET created_at = now() - interval '8 days' "
        + "WHERE data->>'old' = 'true'").execute());

    await(core.stats().prune());

    assertThat(await(db.database().pool().query("SELECT count(*) AS n FROM queue_stats").execute())
        .iterator().next().getLong("n")).isEqualTo(1);
    assertThat(await(core.traces().byMessage(partition, "t1"))).extracting(t -> t.data())
        .containsExactly("{\"old\": false}");
    assertThat(await(db.database().pool().query("SELECT count(*) AS n FROM message_trace_names").execute())
        .iterator().next().getLong("n")).isEqualTo(1);
  }

  private static PushItem item(String transactionId) {
    return new PushItem("q", "p", transactionId, null, null, null);
  }
}
