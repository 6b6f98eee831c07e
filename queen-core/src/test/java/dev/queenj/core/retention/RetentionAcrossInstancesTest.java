package dev.queenj.core.retention;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.push.KafkaOrigin;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.queue.QueueOptions;
import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.core.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three instances (each its own pools, as separate servers have) running the same background service at the same
 * moment: one cycle runs, the others skip it (the lease row of V012), nothing fails, and what is deleted is deleted
 * once — the counts add up to exactly what had to go.
 */
class RetentionAcrossInstancesTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(2);
  /** Batches of 20 rows: a cycle takes many statements, so the three calls meet while one runs. */
  private static final RetentionConfig CONFIG = new RetentionConfig(60_000, 20, 60_000, 7, 60_000);

  private final List<Database> databases = new ArrayList<>();
  private final List<QueenCore> instances = new ArrayList<>();

  @BeforeEach
  void threeInstances() {
    await(db.database().pool().query("DELETE FROM service_leases").execute());
    for (int i = 0; i < 3; i++) {
      Database database = TestPostgres.database(db.vertx(), 2);
      databases.add(database);
      instances.add(new QueenCore(database, 4, CONFIG));
    }
  }

  @AfterEach
  void close() {
    databases.forEach(database -> await(database.close()));
  }

  @Test
  void retentionRunsOnOneInstanceAtATimeAndDeletesEachMessageOnce() {
    // given 4 x 150 messages kept 60 s, all but the last of each log two minutes old (retention removes prefixes)
    QueenCore first = instances.get(0);
    await(first.queues().configure("kept", "", "", retention(60)));
    List<PushItem> items = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      for (int i = 0; i < 150; i++) {
        items.add(new PushItem("kept", "p" + p, "p" + p + "-" + i, null, "{}".getBytes(StandardCharsets.UTF_8),
            null));
      }
    }
    await(first.push().push(items));
    await(db.database().pool().preparedQuery("UPDATE messages m SET created_at = created_at - interval '120 s' "
        + "WHERE log_offset < (SELECT max(log_offset) FROM messages x WHERE x.queue_id = m.queue_id "
        + "AND x.kafka_partition = m.kafka_partition)").execute());
    long logs = count("SELECT count(DISTINCT kafka_partition) FROM messages");
    long expired = count("SELECT count(*) FROM messages WHERE created_at < now() - interval '60 s'");
    assertThat(expired).isEqualTo(600 - logs);

    // when all three run retention at the same moment, and again until nothing is left to do
    List<RetentionRun> firstRound = together(RetentionService::runRetention);
    long deleted = deleted(firstRound);
    for (int round = 0; round < 3; round++) {
      deleted += deleted(together(RetentionService::runRetention));
    }

    // then one of the first three calls ran, and the deletions add up to the expired messages, none counted twice
    assertThat(firstRound).filteredOn(RetentionRun::ran).hasSize(1);
    assertThat(deleted).isEqualTo(expired);
    assertThat(count("SELECT count(*) FROM messages")).isEqualTo(logs);
    assertThat(instances).allSatisfy(core -> assertThat(core.retention().totals().failures()).isZero());
  }

  @Test
  void compactionRunsOnOneInstanceAtATimeAndDeletesEachSupersededRecordOnce() {
    // given a compacted topic of one partition: 400 records of five keys
    QueenCore first = instances.get(0);
    await(first.queues().create("table", 1, Map.of("cleanup.policy", "compact", "delete.retention.ms", "0")));
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      items.add(PushItem.kafka("table", null, ("v" + i).getBytes(StandardCharsets.UTF_8),
          new KafkaOrigin(0, ("k" + (i % 5)).getBytes(StandardCharsets.UTF_8), null, 1_000L)));
    }
    await(first.push().push(items));

    List<RetentionRun> firstRound = together(RetentionService::runCompaction);
    long deleted = deleted(firstRound);
    for (int round = 0; round < 3; round++) {
      deleted += deleted(together(RetentionService::runCompaction));
    }

    assertThat(firstRound).filteredOn(RetentionRun::ran).hasSize(1);
    assertThat(deleted).isEqualTo(395);
    assertThat(count("SELECT count(*) FROM messages")).isEqualTo(5);
    assertThat(instances).allSatisfy(core -> assertThat(core.retention().totals().failures()).isZero());
  }

  @Test
  void kafkaProducersAreForgottenOnceAcrossInstances() {
    // given 100 producer states idle for two days, 100 transactional ids done eight days ago and 10 open as long
    // (written straight into the tables: only their ages matter here)
    QueenCore first = instances.get(0);
    await(first.queues().create("written", 1, Map.of()));
    await(db.database().pool().query("INSERT INTO kafka_producer_state (producer_id, queue_id, kafka_partition, "
        + "producer_epoch, last_sequence, first_seqs, last_seqs, base_offsets, updated_at) "
        + "SELECT -g, (SELECT id FROM queues WHERE name = 'written'), 0, 0, 0, '{0}', '{0}', '{0}', "
        + "now() - interval '2 days' FROM generate_series(1, 100) g").execute());
    await(db.database().pool().query("INSERT INTO kafka_transactions (transactional_id, producer_id, producer_epoch, "
        + "state, timeout_ms, started_at, updated_at) SELECT 'idle-' || g, -1000 - g, 0, "
        + "CASE WHEN g <= 10 THEN 'Ongoing' ELSE 'CompleteCommit' END, 60000, now() - interval '8 days', "
        + "now() - interval '8 days' FROM generate_series(1, 110) g").execute());

    // when all three run retention at the same moment, and again
    List<RetentionRun> firstRound = together(RetentionService::runRetention);
    List<RetentionRun> all = new ArrayList<>(firstRound);
    all.addAll(together(RetentionService::runRetention));

    // then one of the first three ran, and each state and idle id was deleted once; the open ones stay
    assertThat(firstRound).filteredOn(RetentionRun::ran).hasSize(1);
    assertThat(all.stream().mapToLong(RetentionRun::producerStatesExpired).sum()).isEqualTo(100);
    assertThat(all.stream().mapToLong(RetentionRun::transactionalIdsExpired).sum()).isEqualTo(100);
    assertThat(count("SELECT count(*) FROM kafka_producer_state")).isZero();
    assertThat(count("SELECT count(*) FROM kafka_transactions WHERE state = 'Ongoing'")).isEqualTo(10);
    assertThat(count("SELECT count(*) FROM kafka_transactions")).isEqualTo(10);
    assertThat(instances).allSatisfy(core -> assertThat(core.retention().totals().failures()).isZero());
  }

  /** Starts the cycle on every instance at once; answers their runs once all ended. */
  private List<RetentionRun> together(Function<RetentionService, Future<RetentionRun>> cycle) {
    List<Future<RetentionRun>> runs = new ArrayList<>();
    instances.forEach(core -> runs.add(cycle.apply(core.retention())));
    List<RetentionRun> done = new ArrayList<>();
    runs.forEach(run -> done.add(await(run)));
    return done;
  }

  private static long deleted(List<RetentionRun> runs) {
    return runs.stream().mapToLong(RetentionRun::messagesDeleted).sum();
  }

  private static QueueOptions retention(int seconds) {
    QueueOptions d = QueueOptions.DEFAULTS;
    return new QueueOptions(d.leaseTime(), d.retryLimit(), d.retryDelay(), d.maxSize(), d.ttl(), d.deadLetterQueue(),
        d.dlqAfterMaxRetries(), d.priority(), d.delayedProcessing(), d.windowBuffer(), seconds, 0, true, false, 0);
  }

  private static long count(String sql) {
    Row row = await(db.database().pool().preparedQuery(sql).execute(Tuple.tuple())).iterator().next();
    return ((Number) row.getValue(0)).longValue();
  }
}
