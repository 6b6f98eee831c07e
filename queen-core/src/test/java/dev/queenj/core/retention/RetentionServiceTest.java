package dev.queenj.core.retention;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.log.LogPosition;
import dev.queenj.core.log.LogRecord;
import dev.queenj.core.log.LogSlice;
import dev.queenj.core.pop.PopRequest;
import dev.queenj.core.pop.PopResult;
import dev.queenj.core.pop.PoppedMessage;
import dev.queenj.core.push.KafkaOrigin;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.queue.QueueOptions;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention, eviction and cleanup, one cycle at a time run directly. Ages are made by moving messages' created_at
 * back (the rules compare it with the database's now()), so no test waits for time to pass, except the one that
 * shows a 1 s retention through real time.
 */
class RetentionServiceTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);

  private QueenCore core;
  private RetentionService retention;

  @BeforeEach
  void start() {
    await(db.database().pool().query("DELETE FROM service_leases").execute());
    core = new QueenCore(db.database(), 2, new RetentionConfig(60_000, 2, 60_000, 7, 60_000));
    retention = core.retention();
  }

  @Test
  void retentionSecondsDeletesAPrefixOfEachLogAndMovesItsStart() {
    // given a queue keeping messages 60 s, five messages in one partition, the first three two minutes old
    configure("kept", options(60, 0, 0));
    push("kept", "p", 5);
    age("kept", "log_offset < 3", 120);
    // and a queue without retention, as old
    push("forever", "p", 2);
    age("forever", "true", 100_000);

    // when a cycle runs (batches of two rows, so the purge loops)
    RetentionRun run = await(retention.runRetention());

    // then the old prefix is gone, the log starts after it, and the other queue is untouched
    assertThat(run.ran()).isTrue();
    assertThat(run.messagesDeleted()).isEqualTo(3);
    // three rows in batches of two are fewer than ten batches' worth: no vacuum
    assertThat(run.vacuumed()).isFalse();
    assertThat(offsets("kept")).containsExactly(3L, 4L);
    assertThat(logStart("kept", partitionLog("kept", "p"))).isEqualTo(3);
    assertThat(offsets("forever")).hasSize(2);
    // and a Kafka read below the start finds nothing, from it the rest
    LogSlice below = read("kept", partitionLog("kept", "p"), 0);
    assertThat(below.covers(0)).isFalse();
    assertThat(read("kept", partitionLog("kept", "p"), 3).records()).hasSize(2);
  }

  @Test
  void aLogFurtherBehindThanOneLookupReadsIsTrimmedOverSeveralInOneCycle() {
    // given 450 expired messages in one log, and lookups reading 100 batches of two offsets ahead
    configure("behind", options(60, 0, 0));
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      items.add(new PushItem("behind", "p", "t" + i, null, "{}".getBytes(StandardCharsets.UTF_8), null));
    }
    await(core.push().push(items));
    push("behind", "p", 1);
    age("behind", "log_offset < 450", 120);

    RetentionRun run = await(retention.runRetention());

    assertThat(run.messagesDeleted()).isEqualTo(450);
    assertThat(offsets("behind")).containsExactly(450L);
    assertThat(logStart("behind", partitionLog("behind", "p"))).isEqualTo(450);
  }

  @Test
  void aPartitionWhoseMessagesAllExpiredIsNoLongerPendingSoPopsDoNotClaimItForEver() {
    // given a group that consumed one of three messages, then all three expired
    configure("stale", options(60, 0, 0));
    push("stale", "p", 3);
    assertThat(popped(pop("stale", "g", 1, true))).hasSize(1);
    age("stale", "true", 120);

    // when a cycle runs
    RetentionRun run = await(retention.runRetention());

    // then the group's cursor moved past the deleted messages and nothing is pending
    assertThat(run.cursorsMoved()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM partition_consumers WHERE head_offset > cursor_offset")).isZero();
    assertThat(pop("stale", "g", 10, false)).isInstanceOf(PopResult.Unavailable.class);
    // and a message pushed afterwards is delivered to it
    push("stale", "p", 1);
    assertThat(popped(pop("stale", "g", 10, true))).hasSize(1);
  }

  @Test
  void completedRetentionDeletesOnlyWhatEveryGroupHasConsumed() {
    // given two groups on a queue with completedRetentionSeconds 60: g1 consumed all four messages, g2 two
    configure("done", options(0, 60, 0));
    push("done", "p", 4);
    assertThat(popped(pop("done", "g1", 10, true))).hasSize(4);
    assertThat(popped(pop("done", "g2", 2, true))).hasSize(2);
    age("done", "true", 120);

    // when a cycle runs
    await(retention.runRetention());

    // then only the two both groups consumed are gone, and the log starts at the first that remains
    assertThat(offsets("done")).containsExactly(2L, 3L);
    assertThat(logStart("done", partitionLog("done", "p"))).isEqualTo(2);
    // and g2 still gets the rest
    assertThat(popped(pop("done", "g2", 10, true))).extracting(PoppedMessage::transactionId)
        .containsExactly("p-2", "p-3");
  }

  @Test
  void completedRetentionKeepsMessagesOfANewerThanTheirAgeAndOfQueuesNobodyConsumed() {
    // given consumed but recent messages, and old messages no group has read
    configure("young", options(0, 60, 0));
    push("young", "p", 2);
    assertThat(popped(pop("young", "g", 10, true))).hasSize(2);
    configure("unread", options(0, 60, 0));
    push("unread", "p", 2);
    age("unread", "true", 120);

    await(retention.runRetention());

    assertThat(offsets("young")).hasSize(2);
    assertThat(offsets("unread")).hasSize(2);
  }

  @Test
  void evictionDeletesMessagesOlderThanMaxWaitTimeOnlyInItsOwnCycle() {
    // given a queue whose messages may wait 30 s, two of three older than that
    configure("evict", options(0, 0, 30));
    push("evict", "p", 3);
    age("evict", "log_offset < 2", 60);

    // then retention leaves them, eviction removes them
    await(retention.runRetention());
    assertThat(offsets("evict")).hasSize(3);
    RetentionRun run = await(retention.runEviction());
    assertThat(run.messagesDeleted()).isEqualTo(2);
    assertThat(offsets("evict")).containsExactly(2L);
  }

  @Test
  void kafkaRetentionMsAndRetentionBytesTrimEachLog() {
    // given a topic keeping 60 s and one keeping the newest 250 bytes (records of 100-byte values count 116)
    await(core.queues().create("by-time", 1, Map.of("retention.ms", "60000")));
    await(core.queues().create("by-size", 1, Map.of("retention.bytes", "250")));
    for (String topic : List.of("by-time", "by-size")) {
      List<PushItem> items = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        items.add(PushItem.kafka(topic, null, new byte[100],
            new dev.queenj.core.push.KafkaOrigin(0, null, null, i)));
      }
      await(core.push().push(items));
    }
    age("by-time", "log_offset < 4", 120);

    await(retention.runRetention());

    assertThat(offsets("by-time")).containsExactly(4L);
    assertThat(logStart("by-time", 0)).isEqualTo(4);
    assertThat(offsets("by-size")).containsExactly(3L, 4L);
    assertThat(logStart("by-size", 0)).isEqualTo(3);
  }

  @Test
  void trimmingALogMovesItsStartAtOnceAndDeletesBelowItSoonAfter() {
    // given five records in log 0
    await(core.queues().create("trimmed", 1, Map.of()));
    push("trimmed", "p", 5);

    // when its start moves to 3, then to the high watermark of an unknown partition and past its own
    List<LogTrim> trims = await(retention.trim(List.of(new LogPosition("trimmed", 0, 3, 0),
        new LogPosition("trimmed", 7, 1, 0), new LogPosition("trimmed", 0, 9, 0),
        new LogPosition("trimmed", 0, 1, 0))));

    // then
    assertThat(trims).containsExactly(new LogTrim(true, false, 3), new LogTrim(false, false, -1),
        new LogTrim(true, false, -1), new LogTrim(true, false, 3));
    assertThat(logStart("trimmed", 0)).isEqualTo(3);
    Eventually.until(Duration.ofSeconds(10), () -> offsets("trimmed").equals(List.of(3L, 4L)),
        () -> "stored offsets " + offsets("trimmed"));
  }

  @Test
  void deadLettersExpireWithTheQueuesRetention() {
    configure("dlq", options(60, 0, 0));
    long queueCount = count("SELECT count(*) FROM queues WHERE name = 'dlq'");
    assertThat(queueCount).isEqualTo(1);
    for (int age : new int[] {120, 10}) {
      await(db.database().pool().preparedQuery("INSERT INTO dead_letters (queue_id, partition_id, message_id, "
          + "transaction_id, consumer_group, message_created_at, failed_at) SELECT id, gen_random_uuid(), "
          + "gen_random_uuid(), 't', 'g', now(), now() - make_interval(secs => $1) FROM queues WHERE name = 'dlq'")
          .execute(Tuple.of(age)));
    }

    RetentionRun run = await(retention.runRetention());

    assertThat(run.deadLettersDeleted()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM dead_letters")).isEqualTo(1);
  }

  @Test
  void emptyPartitionsIdleForTheCleanupDaysGoWithTheirCursorsAndComeBackOnTheNextPush() {
    // given two partitions that were consumed and emptied, one of them idle for eight days
    configure("idle", options(60, 0, 0));
    push("idle", "old", 1);
    push("idle", "recent", 1);
    assertThat(popped(pop("idle", "g", 10, true))).hasSize(2);
    age("idle", "true", 120);
    await(db.database().pool().query("UPDATE partitions SET last_message_at = now() - interval '8 days' "
        + "WHERE name = 'old'").execute());

    RetentionRun run = await(retention.runRetention());

    // then the idle one and its cursor are gone; the recent one stays
    assertThat(run.partitionsRemoved()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM partitions WHERE name = 'old'")).isZero();
    assertThat(count("SELECT count(*) FROM partitions WHERE name = 'recent'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM partition_consumers pc WHERE NOT EXISTS "
        + "(SELECT 1 FROM partitions p WHERE p.id = pc.partition_id)")).isZero();
    // and a push into it creates it again, delivered to the group
    push("idle", "old", 1);
    assertThat(popped(pop("idle", "g", 10, true))).extracting(PoppedMessage::partition).containsExactly("old");
  }

  @Test
  void aPushRacingTheRemovalOfItsPartitionNeverLeavesAMessageWithoutItsPartition() {
    // given a partition that is empty and looks idle for eight days, again and again, while a push arrives
    configure("race", options(60, 0, 0));
    RetentionService cleaner = new RetentionService(db.database(),
        new RetentionConfig(60_000, 1_000, 60_000, 7, 60_000));
    for (int round = 0; round < 30; round++) {
      await(db.database().pool().query("DELETE FROM messages WHERE queue_id = (SELECT id FROM queues WHERE name = "
          + "'race')").execute());
      await(db.database().pool().query("UPDATE partitions SET last_message_at = now() - interval '8 days', "
          + "created_at = now() - interval '8 days' WHERE queue_id = (SELECT id FROM queues WHERE name = 'race')")
          .execute());
      await(db.database().pool().query("DELETE FROM service_leases").execute());

      // when the push and a cleanup cycle run at once
      var pushed = core.push().push(List.of(new PushItem("race", "hot", "r" + round, null,
          "{}".getBytes(StandardCharsets.UTF_8), null)));
      var cleaned = cleaner.runRetention();
      await(pushed);
      await(cleaned);

      // then the pushed message's partition exists, and every message has its partition
      assertThat(count("SELECT count(*) FROM messages m WHERE NOT EXISTS "
          + "(SELECT 1 FROM partitions p WHERE p.id = m.partition_id)")).as("round %d", round).isZero();
      assertThat(count("SELECT count(*) FROM partitions WHERE name = 'hot'")).as("round %d", round).isEqualTo(1);
    }
    // and the last message is delivered
    assertThat(popped(pop("race", "g", 100, true))).extracting(PoppedMessage::transactionId).containsExactly("r29");
  }

  @Test
  void aCycleIsSkippedWhileAnotherInstanceHoldsTheLease() {
    // given another instance in the middle of a retention cycle
    configure("leased", options(60, 0, 0));
    push("leased", "p", 1);
    age("leased", "true", 120);
    RetentionService other = new RetentionService(db.database(), retention.config());
    await(db.database().pool().query("INSERT INTO service_leases (name, holder, expires_at) "
        + "VALUES ('retention', 'elsewhere', now() + interval '1 minute')").execute());

    // then this one skips, and runs once the lease is released
    assertThat(await(other.runRetention()).ran()).isFalse();
    assertThat(offsets("leased")).hasSize(1);
    await(db.database().pool().query("UPDATE service_leases SET expires_at = now()").execute());
    assertThat(await(other.runRetention()).messagesDeleted()).isEqualTo(1);
    // and eviction has its own lease
    assertThat(await(other.runEviction()).ran()).isTrue();
  }

  @Test
  void aCycleThatDeletedManyBatchesVacuumsTheMessagesTable() {
    configure("bulk", options(60, 0, 0));
    push("bulk", "p", 25);
    age("bulk", "true", 120);

    RetentionRun run = await(retention.runRetention());

    assertThat(run.messagesDeleted()).isEqualTo(25);
    assertThat(run.vacuumed()).isTrue();
  }

  @Test
  void aOneSecondRetentionRemovesMessagesOnceTheyAreOlder() {
    configure("short", options(1, 0, 0));
    push("short", "p", 3);

    Eventually.until(Duration.ofSeconds(20), () -> {
      await(retention.runRetention());
      return offsets("short").isEmpty();
    }, () -> "stored offsets " + offsets("short"));
    assertThat(logStart("short", partitionLog("short", "p"))).isEqualTo(3);
  }

  @Test
  void compactionKeepsTheNewestRecordOfEachKeySharingAFallbackPartitionOverSeveralSteps() {
    // given a compacted topic whose tombstones expire at once, and 50 records of five keys that share one Queen
    // partition (no partition name: the Kafka fallback), then a tombstone of k4 and a last k0: 52 offsets, read
    // 20 per step (batches of two)
    await(core.queues().create("table", 1, Map.of("cleanup.policy", "compact", "delete.retention.ms", "0")));
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      items.add(record("k" + (i % 5), "v" + i));
    }
    items.add(record("k4", null));
    items.add(record("k0", "last"));
    await(core.push().push(items));

    // when a compaction cycle runs
    RetentionRun run = await(retention.runCompaction());

    // then the newest record of every live key is left at its offset, the deleted key is gone, the log start stays
    assertThat(run.ran()).isTrue();
    assertThat(offsets("table")).containsExactly(46L, 47L, 48L, 51L);
    assertThat(run.messagesDeleted()).isEqualTo(48);
    assertThat(logStart("table", 0)).isZero();
    // and a Kafka read from the start skips the gaps
    assertThat(read("table", 0, 0).records()).extracting(LogRecord::offset).containsExactly(46L, 47L, 48L, 51L);
    // and the next cycle finds nothing left to do
    assertThat(await(retention.runCompaction()).messagesDeleted()).isZero();
  }

  @Test
  void agesOfLongMaxValueAsFrameworksSetThemKeepEverythingWithoutFailingACycle() {
    // given topics whose ages are Long.MAX_VALUE, as Debezium's schema history (retention.ms) and Kafka Streams'
    // versioned changelogs (min.compaction.lag.ms) may set them, and a tombstone kept as long
    String forever = String.valueOf(Long.MAX_VALUE);
    await(core.queues().create("history", 1, Map.of("retention.ms", forever)));
    await(core.queues().create("table", 1, Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", forever)));
    await(core.queues().create("ledger", 1, Map.of("cleanup.policy", "compact", "delete.retention.ms", forever)));
    push("history", "p", 3);
    await(core.push().push(List.of(record("k", "v1"), record("k", "v2"))));
    await(core.push().push(List.of(record("ledger", "k", "v1"), record("ledger", "k", null),
        record("ledger", "j", "v1"))));
    age("history", "true", 86_400 * 365 * 100);

    // when retention and compaction run
    RetentionRun retained = await(retention.runRetention());
    RetentionRun compacted = await(retention.runCompaction());

    // then both ran, nothing was kept too short: only the superseded record of the ledger went
    assertThat(retained.ran()).isTrue();
    assertThat(compacted.ran()).isTrue();
    assertThat(offsets("history")).hasSize(3);
    assertThat(offsets("table")).containsExactly(0L, 1L);
    assertThat(offsets("ledger")).containsExactly(1L, 2L);
  }

  private static PushItem record(String key, String value) {
    return record("table", key, value);
  }

  private static PushItem record(String queue, String key, String value) {
    return PushItem.kafka(queue, null, value == null ? null : value.getBytes(StandardCharsets.UTF_8),
        new KafkaOrigin(0, key.getBytes(StandardCharsets.UTF_8), null, 1_000L));
  }

  private static QueueOptions options(int retentionSeconds, int completedRetentionSeconds, int maxWait) {
    QueueOptions d = QueueOptions.DEFAULTS;
    return new QueueOptions(d.leaseTime(), d.retryLimit(), d.retryDelay(), d.maxSize(), d.ttl(), d.deadLetterQueue(),
        d.dlqAfterMaxRetries(), d.priority(), d.delayedProcessing(), d.windowBuffer(), retentionSeconds,
        completedRetentionSeconds, retentionSeconds > 0 || completedRetentionSeconds > 0, false, maxWait);
  }

  private void configure(String queue, QueueOptions options) {
    await(core.queues().configure(queue, "", "", options));
  }

  private void push(String queue, String partition, int n) {
    long before = count("SELECT count(*) FROM messages m JOIN partitions p ON p.id = m.partition_id "
        + "JOIN queues q ON q.id = p.queue_id WHERE q.name = '" + queue + "' AND p.name = '" + partition + "'");
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(new PushItem(queue, partition, partition + "-" + (before + i), null,
          "{}".getBytes(StandardCharsets.UTF_8), null));
    }
    await(core.push().push(items));
  }

  private PopResult pop(String queue, String group, int batch, boolean autoAck) {
    return await(core.pop().pop(new PopRequest(queue, null, group, batch, 10, autoAck, null, "w")));
  }

  private static List<PoppedMessage> popped(PopResult result) {
    assertThat(result).isInstanceOf(PopResult.Claimed.class);
    return ((PopResult.Claimed) result).messages();
  }

  private void age(String queue, String where, int seconds) {
    await(db.database().pool().preparedQuery("UPDATE messages SET created_at = created_at - make_interval(secs => $1) "
        + "WHERE queue_id = (SELECT id FROM queues WHERE name = $2) AND " + where).execute(Tuple.of(seconds, queue)));
  }

  private List<Long> offsets(String queue) {
    return await(db.database().pool().preparedQuery("SELECT log_offset FROM messages WHERE queue_id = "
        + "(SELECT id FROM queues WHERE name = $1) ORDER BY kafka_partition, log_offset").execute(Tuple.of(queue))
        .map(rows -> {
          List<Long> offsets = new ArrayList<>();
          rows.forEach(row -> offsets.add(row.getLong(0)));
          return offsets;
        }));
  }

  private int partitionLog(String queue, String partition) {
    return (int) count("SELECT p.kafka_partition FROM partitions p JOIN queues q ON q.id = p.queue_id "
        + "WHERE q.name = '" + queue + "' AND p.name = '" + partition + "'");
  }

  private long logStart(String queue, int log) {
    return count("SELECT h.log_start_offset FROM log_heads h JOIN queues q ON q.id = h.queue_id "
        + "WHERE q.name = '" + queue + "' AND h.kafka_partition = " + log);
  }

  private LogSlice read(String queue, int log, long offset) {
    return await(core.log().read(List.of(new LogPosition(queue, log, offset, Integer.MAX_VALUE)))).get(0);
  }

  private long count(String sql) {
    Row row = await(db.database().pool().query(sql).execute()).iterator().next();
    return ((Number) row.getValue(0)).longValue();
  }
}
