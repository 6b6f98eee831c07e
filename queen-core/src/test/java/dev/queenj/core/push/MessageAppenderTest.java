package dev.queenj.core.push;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessageAppenderTest {
  static Vertx vertx;
  static Database database;
  static QueenCore core;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    database = TestPostgres.database(vertx, 4);
    core = new QueenCore(database, 8);
  }

  @AfterAll
  static void stop() {
    await(database.close());
    await(vertx.close());
  }

  @BeforeEach
  void clean() {
    TestPostgres.reset(database);
  }

  @Test
  void offsetsAreDenseAndDuplicatesKeepTheFirstMessage() {
    byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    List<PushOutcome> first = await(core.push().push(List.of(
        new PushItem("orders", "p1", "t1", null, payload, null),
        new PushItem("orders", "p1", "t2", null, null, null),
        new PushItem("orders", "p1", "t1", null, payload, null))));
    assertThat(first).extracting(PushOutcome::duplicate).containsExactly(false, false, true);
    assertThat(first.get(2).messageId()).isEqualTo(first.get(0).messageId());

    List<PushOutcome> again = await(core.push().push(List.of(new PushItem("orders", "p1", "t2", null, null, null))));
    assertThat(again.get(0).duplicate()).isTrue();
    assertThat(again.get(0).messageId()).isEqualTo(first.get(1).messageId());

    List<Long> offsets = await(database.pool().query("SELECT log_offset FROM messages ORDER BY log_offset").execute()
        .map(rows -> {
          List<Long> list = new java.util.ArrayList<>();
          rows.forEach(row -> list.add(row.getLong(0)));
          return list;
        }));
    assertThat(offsets).containsExactly(0L, 1L);
  }

  @Test
  void aPartitionKeepsItsKafkaPartitionWhenTheQueueGrowsAndNewOnesUseTheNewCount() {
    // given a queue with one Kafka partition, written through an instance that will keep the old count cached
    QueenCore stale = new QueenCore(database, 8);
    await(core.queues().create("orders", 1, Map.of()));
    await(stale.push().push(List.of(new PushItem("orders", "p", "t1", null, null, null))));
    String fresh = partitionNameOutside(0, 16);

    // when another instance grows it to 16
    assertThat(await(core.queues().grow("orders", 16))).hasValueSatisfying(
        queue -> assertThat(queue.kafkaPartitions()).isEqualTo(16));
    await(stale.push().push(List.of(new PushItem("orders", "p", "t2", null, null, null),
        new PushItem("orders", fresh, "t3", null, null, null))));

    // then p stays in its log, with dense offsets, and the new partition is placed over the new count
    assertThat(placements()).containsExactly("p@0:0", "p@0:1",
        fresh + "@" + PartitionPlacement.kafkaPartition(fresh, 16) + ":0");
    assertThat(await(core.queues().grow("orders", 16))).isEmpty();
  }

  @Test
  void aNewPartitionPlacedConcurrentlyOverTwoCountsEndsUpInOneLog() {
    // given an append that placed a new partition over one Kafka partition and has not committed yet
    await(core.queues().create("orders", 1, Map.of()));
    String conversation = partitionNameOutside(0, 16);
    MessageAppender appender = new MessageAppender(core.queues());
    List<PushItem> first = List.of(new PushItem("orders", conversation, "t1", null, null, null));
    Promise<Void> commit = Promise.promise();
    Future<List<PushOutcome>> slow = appender.resolveQueues(first).compose(resolved -> database.inTransaction(
        tx -> appender.append(tx, first, resolved).compose(outcomes -> commit.future().map(outcomes))));
    eventually(() -> sessions("state = 'idle in transaction'") > 0);

    // when the queue grows and a second append places the same partition over the new count
    await(core.queues().grow("orders", 16));
    Future<List<PushOutcome>> second = core.push().push(List.of(
        new PushItem("orders", conversation, "t2", null, null, null)));
    // it waits on the first one's partitions row
    eventually(() -> sessions("wait_event_type = 'Lock'") > 0);
    commit.complete();

    // then the second one is retried into the log the first one committed to
    await(slow);
    await(second);
    assertThat(placements()).containsExactly(conversation + "@0:0", conversation + "@0:1");
  }

  /** How many sessions on the test database match {@code condition} (a pg_stat_activity predicate). */
  private static long sessions(String condition) {
    return await(database.pool().query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        + " AND " + condition).execute().map(rows -> rows.iterator().next().getLong(0)));
  }

  /** Waits for {@code condition}, polling Postgres; fails after ten seconds. */
  private static void eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  /** A partition name that a queue of {@code partitions} Kafka partitions does not place in {@code avoided}. */
  private static String partitionNameOutside(int avoided, int partitions) {
    for (int i = 0; ; i++) {
      if (PartitionPlacement.kafkaPartition("c" + i, partitions) != avoided) {
        return "c" + i;
      }
    }
  }

  /** Every message as partition@kafkaPartition:offset, in append order. */
  private static List<String> placements() {
    return await(database.pool().query("SELECT p.name, m.kafka_partition, m.log_offset FROM messages m "
        + "JOIN partitions p ON p.id = m.partition_id ORDER BY m.created_at, m.kafka_partition, m.log_offset")
        .execute().map(rows -> {
          List<String> list = new ArrayList<>();
          rows.forEach(row -> list.add(row.getString(0) + "@" + row.getInteger(1) + ":" + row.getLong(2)));
          return list;
        }));
  }
}
