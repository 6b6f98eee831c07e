package dev.queenj.core.push;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MessageAppenderTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);
  static QueenCore core;

  @BeforeAll
  static void start() {
    core = new QueenCore(db.database(), 8);
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

    List<Long> offsets = await(db.database().pool().query("SELECT log_offset FROM messages ORDER BY log_offset")
        .execute()
        .map(rows -> {
          List<Long> list = new java.util.ArrayList<>();
          rows.forEach(row -> list.add(row.getLong(0)));
          return list;
        }));
    assertThat(offsets).containsExactly(0L, 1L);
  }

  @Test
  void kafkaRecordsLandInTheirKeysPartitionOnlyInsideItsHomeLogAndGetTheirOffsets() {
    int home = PartitionPlacement.kafkaPartition("k", 8);
    int elsewhere = (home + 1) % 8;
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    List<PushOutcome> outcomes = await(core.push().push(List.of(
        PushItem.kafka("events", "k", null, new KafkaOrigin(home, key, null, 1L)),
        PushItem.kafka("events", "k", null, new KafkaOrigin(elsewhere, key, null, 2L)),
        PushItem.kafka("events", null, null, new KafkaOrigin(home, null, null, 3L)),
        new PushItem("events", "k", null, null, null, null))));
    UUID queueId = await(core.queues().ensure("events")).id();
    assertThat(outcomes).extracting(PushOutcome::partitionId).containsExactly(
        PartitionPlacement.partitionId(queueId, "k"),
        PartitionPlacement.partitionId(queueId, PartitionPlacement.kafkaFallback(elsewhere)),
        PartitionPlacement.partitionId(queueId, PartitionPlacement.kafkaFallback(home)),
        PartitionPlacement.partitionId(queueId, "k"));
    assertThat(outcomes).extracting(PushOutcome::offset).containsExactly(0L, 0L, 1L, 2L);
  }

  @Test
  void aPartitionKeepsItsKafkaPartitionWhenTheQueueGrowsAndNewOnesUseTheNewCount() {
    // given a queue with one Kafka partition, written through an instance that will keep the old count cached
    QueenCore stale = new QueenCore(db.database(), 8);
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
    MessageAppender appender = new MessageAppender(core.queues(), PayloadCipher.NONE);
    List<PushItem> first = List.of(new PushItem("orders", conversation, "t1", null, null, null));
    Promise<Void> commit = Promise.promise();
    Future<List<PushOutcome>> slow = appendAndWait(appender, first, commit);

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

  @Test
  void afterGrowthAKafkaRecordFollowsItsKeysRowAndANewKeyIsPlacedOverTheCurrentCount() {
    // given a conversation written while the queue had one Kafka partition, through an instance that keeps that count
    QueenCore stale = new QueenCore(db.database(), 8);
    await(core.queues().create("orders", 1, Map.of()));
    String old = partitionNameOutside(0, 16);
    await(stale.push().push(List.of(new PushItem("orders", old, "t1", null, null, null))));
    // a key that the stale count (1) would place in 0 but the current one does not
    String fresh = "d" + old;
    for (int i = 0; PartitionPlacement.kafkaPartition(fresh, 16) == 0; i++) {
      fresh = "d" + i;
    }
    int oldHome = PartitionPlacement.kafkaPartition(old, 16);
    int freshHome = PartitionPlacement.kafkaPartition(fresh, 16);

    // when the queue grows to 16 and Kafka records are produced through the stale instance
    await(core.queues().grow("orders", 16));
    byte[] oldKey = old.getBytes(StandardCharsets.UTF_8);
    List<PushOutcome> outcomes = await(stale.push().push(List.of(
        PushItem.kafka("orders", old, null, new KafkaOrigin(0, oldKey, null, 1L)),
        PushItem.kafka("orders", old, null, new KafkaOrigin(oldHome, oldKey, null, 2L)),
        PushItem.kafka("orders", fresh, null, new KafkaOrigin(freshHome, fresh.getBytes(StandardCharsets.UTF_8),
            null, 3L)))));

    // then the old key's record produced into its row's partition joins the conversation, one produced where the new
    // count would put it goes to that partition's fallback, and a new key is placed over the current count
    UUID queueId = await(core.queues().find("orders")).orElseThrow().id();
    assertThat(outcomes).extracting(PushOutcome::partitionId).containsExactly(
        PartitionPlacement.partitionId(queueId, old),
        PartitionPlacement.partitionId(queueId, PartitionPlacement.kafkaFallback(oldHome)),
        PartitionPlacement.partitionId(queueId, fresh));
    assertThat(placements()).containsExactlyInAnyOrder(old + "@0:0", old + "@0:1",
        PartitionPlacement.kafkaFallback(oldHome) + "@" + oldHome + ":0",
        fresh + "@" + freshHome + ":" + (freshHome == oldHome ? 1 : 0));
  }

  @Test
  void storedDuplicatesAmongRepeatsOverSeveralLogsAreDroppedAndOffsetsStayDense() {
    // given a stored message, and partitions in two different logs
    String a = "a";
    String b = partitionNameOutside(PartitionPlacement.kafkaPartition(a, 8), 8);
    await(core.push().push(List.of(new PushItem("orders", a, "t1", null, null, null))));

    // when one batch repeats it, repeats its own items and writes both logs
    List<PushOutcome> outcomes = await(core.push().push(List.of(
        new PushItem("orders", b, "t2", null, null, null),
        new PushItem("orders", a, "t1", null, null, null),
        new PushItem("orders", a, "t3", null, null, null),
        new PushItem("orders", a, "t1", null, null, null),
        new PushItem("orders", b, "t2", null, null, null),
        new PushItem("orders", b, "t4", null, null, null))));

    // then every repeat answers the message it repeats, and each log's offsets stay dense
    assertThat(outcomes).extracting(PushOutcome::duplicate).containsExactly(false, true, false, true, true, false);
    UUID stored = await(core.push().push(List.of(new PushItem("orders", a, "t1", null, null, null)))).get(0)
        .messageId();
    assertThat(outcomes.get(1).messageId()).isEqualTo(stored);
    assertThat(outcomes.get(3).messageId()).isEqualTo(stored);
    assertThat(outcomes.get(4).messageId()).isEqualTo(outcomes.get(0).messageId());
    assertThat(outcomes).extracting(PushOutcome::offset).containsExactly(0L, null, 1L, null, null, 1L);
    assertThat(placements()).containsExactlyInAnyOrder(
        a + "@" + PartitionPlacement.kafkaPartition(a, 8) + ":0", a + "@" + PartitionPlacement.kafkaPartition(a, 8)
            + ":1", b + "@" + PartitionPlacement.kafkaPartition(b, 8) + ":0",
        b + "@" + PartitionPlacement.kafkaPartition(b, 8) + ":1");
  }

  @Test
  void aPushOfATransactionIdStoredByAnotherAppendWhileItWaitedAnswersTheStoredMessage() {
    // given an append that stored transaction id t1 and has not committed yet
    await(core.queues().ensure("orders"));
    MessageAppender appender = new MessageAppender(core.queues(), PayloadCipher.NONE);
    List<PushItem> first = List.of(new PushItem("orders", "p", "t1", null, null, null));
    Promise<Void> commit = Promise.promise();
    Future<List<PushOutcome>> slow = appendAndWait(appender, first, commit);

    // when a push of the same transaction id looks for stored duplicates, finds none, and waits for the log
    Future<List<PushOutcome>> second = core.push().push(first);
    eventually(() -> sessions("wait_event_type = 'Lock'") > 0);
    commit.complete();

    // then its insert meets the committed one, and it is tried again and answered as a duplicate of it
    UUID stored = await(slow).get(0).messageId();
    PushOutcome repeated = await(second).get(0);
    assertThat(repeated.duplicate()).isTrue();
    assertThat(repeated.messageId()).isEqualTo(stored);
    assertThat(placements()).containsExactly("p@" + PartitionPlacement.kafkaPartition("p", 8) + ":0");
  }

  @Test
  void concurrentPushesOverEveryLogKeepOffsetsDenseAndEachConversationInOrder() {
    // given many clients pushing at once, each a few messages to one of many conversations
    List<Future<List<PushOutcome>>> pushes = new ArrayList<>();
    for (int request = 0; request < 200; request++) {
      List<PushItem> items = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        items.add(new PushItem("orders", "c" + (request % 40), "r" + request + "-" + i, null, null, null));
      }
      pushes.add(core.push().push(items));
    }
    List<PushOutcome> outcomes = new ArrayList<>();
    pushes.forEach(push -> outcomes.addAll(await(push)));

    // then every answered offset is the stored one, every log is dense, and a request's items are consecutive
    // within their conversation
    Map<String, Long> stored = new java.util.HashMap<>();
    await(db.database().pool().query("SELECT transaction_id, log_offset FROM messages").execute())
        .forEach(row -> stored.put(row.getString(0), row.getLong(1)));
    assertThat(stored).hasSize(1000);
    outcomes.forEach(outcome -> assertThat(outcome.offset()).isEqualTo(stored.get(outcome.transactionId())));
    List<List<Long>> logs = await(db.database().pool().query("SELECT array_agg(log_offset ORDER BY log_offset) "
        + "FROM messages GROUP BY kafka_partition").execute().map(rows -> {
          List<List<Long>> list = new ArrayList<>();
          rows.forEach(row -> list.add(List.of(row.getArrayOfLongs(0))));
          return list;
        }));
    assertThat(logs).hasSizeGreaterThan(1).allSatisfy(offsets -> {
      for (int i = 0; i < offsets.size(); i++) {
        assertThat(offsets.get(i)).isEqualTo(i);
      }
    });
    for (int request = 0; request < 200; request++) {
      for (int i = 1; i < 5; i++) {
        assertThat(stored.get("r" + request + "-" + i)).isGreaterThan(stored.get("r" + request + "-" + (i - 1)));
      }
    }
  }

  /**
   * Appends {@code items} in a transaction that commits once {@code commit} completes; returns once the append ran
   * (its rows are written and locked, not committed), with the transaction's outcome to await later.
   */
  private static Future<List<PushOutcome>> appendAndWait(MessageAppender appender, List<PushItem> items,
      Promise<Void> commit) {
    Promise<Void> appended = Promise.promise();
    Future<List<PushOutcome>> outcome = appender.resolveQueues(items).compose(resolved -> db.database().inTransaction(
        tx -> appender.append(tx, items, resolved).compose(outcomes -> {
          appended.complete();
          return commit.future().map(outcomes);
        })));
    await(appended.future());
    return outcome;
  }

  /** How many sessions on the test db.database() match {@code condition} (a pg_stat_activity predicate). */
  private static long sessions(String condition) {
    return await(db.database().pool().query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        + " AND " + condition).execute().map(rows -> rows.iterator().next().getLong(0)));
  }

  /** Waits for {@code condition}, polling Postgres; fails after ten seconds, saying what the sessions were doing. */
  private static void eventually(BooleanSupplier condition) {
    Eventually.until(Duration.ofSeconds(10), condition, () -> "sessions: " + activity());
  }

  private static List<String> activity() {
    return await(db.database().pool().query("SELECT state || ' ' || coalesce(wait_event_type, '-') || ' ' "
        + "|| left(query, 60) FROM pg_stat_activity WHERE datname = current_database()").execute().map(rows -> {
          List<String> list = new ArrayList<>();
          rows.forEach(row -> list.add(row.getString(0)));
          return list;
        }));
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
    return await(db.database().pool().query("SELECT p.name, m.kafka_partition, m.log_offset FROM messages m "
        + "JOIN partitions p ON p.id = m.partition_id ORDER BY m.created_at, m.kafka_partition, m.log_offset")
        .execute().map(rows -> {
          List<String> list = new ArrayList<>();
          rows.forEach(row -> list.add(row.getString(0) + "@" + row.getInteger(1) + ":" + row.getLong(2)));
          return list;
        }));
  }
}
