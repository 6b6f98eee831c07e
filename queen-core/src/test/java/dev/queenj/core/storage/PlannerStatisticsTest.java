package dev.queenj.core.storage;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Growth-triggered ANALYZE on the real test Postgres: which tables, and how often. */
class PlannerStatisticsTest {
  @RegisterExtension static final TestDatabase db = new TestDatabase(2);
  /** Table statistics reach the cumulative statistics system within a second or so of a commit. */
  private static final Duration STATS_DELAY = Duration.ofSeconds(15);

  private PlannerStatistics statistics;

  @BeforeEach
  void analyzeTheEmptyTables() {
    statistics = new PlannerStatistics(db.vertx(), db.database());
    await(db.database().pool().query("ANALYZE queues").execute());
  }

  @Test
  void aTableIsAnalyzedEachTimeItDoublesAndNotInBetween() {
    addQueues(1, 3_000);
    Eventually.until(STATS_DELAY, () -> await(statistics.refresh()).contains("queues"),
        () -> "queues was not analyzed after growing from 0 to 3000 rows");
    assertThat(plannedRows()).isEqualTo(3_000);
    assertThat(await(statistics.refresh())).doesNotContain("queues");

    addQueues(3_001, 5_000);
    Eventually.until(STATS_DELAY, () -> liveRows() == 5_000, () -> "live rows never reached 5000");
    assertThat(await(statistics.refresh())).as("5000 rows is less than twice 3000").doesNotContain("queues");
    assertThat(plannedRows()).isEqualTo(3_000);

    addQueues(5_001, 6_000);
    Eventually.until(STATS_DELAY, () -> await(statistics.refresh()).contains("queues"),
        () -> "queues was not analyzed after growing from 3000 to 6000 rows");
    assertThat(plannedRows()).isEqualTo(6_000);
  }

  @Test
  void aSmallTableIsLeftToAutovacuum() {
    addQueues(1, (int) PlannerStatistics.MIN_ROWS - 1);
    Eventually.until(STATS_DELAY, () -> liveRows() == PlannerStatistics.MIN_ROWS - 1,
        () -> "live rows never reached " + (PlannerStatistics.MIN_ROWS - 1));
    assertThat(await(statistics.refresh())).doesNotContain("queues");
  }

  private void addQueues(int first, int last) {
    await(db.database().pool().preparedQuery("INSERT INTO queues (id, name, kafka_partitions)"
        + " SELECT gen_random_uuid(), 'planner-' || g, 1 FROM generate_series($1::int, $2::int) g")
        .execute(Tuple.of(first, last)));
  }

  private long plannedRows() {
    return await(db.database().pool().query("SELECT reltuples::bigint FROM pg_class WHERE oid = 'queues'::regclass")
        .execute()).iterator().next().getLong(0);
  }

  private long liveRows() {
    return await(db.database().pool().query("SELECT n_live_tup FROM pg_stat_user_tables WHERE relname = 'queues'")
        .execute()).iterator().next().getLong(0);
  }
}
