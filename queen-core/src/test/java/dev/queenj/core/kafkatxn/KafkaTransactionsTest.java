package dev.queenj.core.kafkatxn;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.QueenCore;
import dev.queenj.core.error.StaleEpochException;
import dev.queenj.core.error.TransactionRefusedException;
import dev.queenj.core.error.TransactionRefusedException.Reason;
import dev.queenj.core.push.KafkaOrigin;
import dev.queenj.core.push.ProducerBatch;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka transactions against Postgres, served by two instances (two cores over one database): fencing holds across
 * them, whichever instance commits appends what another staged, concurrent transactions commit whole, and the timeout
 * aborts and fences.
 */
class KafkaTransactionsTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);
  static QueenCore one;
  static QueenCore two;
  Queue topic;

  @BeforeAll
  static void start() {
    one = new QueenCore(db.database(), 2);
    two = new QueenCore(db.database(), 2);
  }

  @BeforeEach
  void clean() {
    topic = await(one.queues().create("t", 2, Map.of())).orElseThrow();
  }

  private static StagedBatch batch(Queue queue, ProducerIdentity producer, int first, int count, String prefix) {
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] value = (prefix + (first + i)).getBytes(StandardCharsets.UTF_8);
      items.add(PushItem.kafka(queue.name(), null, value, new KafkaOrigin(0, null, null, 1_000L + i)));
    }
    return new StagedBatch(queue, 0, new ProducerBatch(producer.producerId(), producer.epoch(), first,
        first + count - 1), items);
  }

  private static long stored() {
    return await(db.database().pool().query("SELECT count(*) FROM messages").execute()).iterator().next().getLong(0);
  }

  private static long staged() {
    return await(db.database().pool().query("SELECT count(*) FROM kafka_txn_records").execute()).iterator().next()
        .getLong(0);
  }

  @Test
  void fencingAndCommitsHoldAcrossInstances() {
    // given a producer that started on one instance, and its successor on the other
    ProducerIdentity zombie = await(one.kafkaTransactions().init("tx", 60_000, null));
    ProducerIdentity current = await(two.kafkaTransactions().init("tx", 60_000, null));
    assertThat(current).isEqualTo(new ProducerIdentity(zombie.producerId(), (short) (zombie.epoch() + 1)));
    List<TxnPartition> partition = List.of(new TxnPartition(topic.id(), 0));

    // then the first is fenced on either instance
    assertThatThrownBy(() -> await(one.kafkaTransactions().addPartitions("tx", zombie, partition)))
        .isInstanceOfSatisfying(TransactionRefusedException.class,
            refused -> assertThat(refused.reason()).isEqualTo(Reason.FENCED));
    // and what the successor stages through one instance is committed by the other, whole
    await(two.kafkaTransactions().addPartitions("tx", current, partition));
    assertThat(await(one.kafkaTransactions().stage("tx", current, List.of(batch(topic, current, 0, 3, "r")))))
        .containsOnlyNulls();
    assertThatThrownBy(() -> await(two.kafkaTransactions().stage("tx", zombie, List.of(batch(topic, zombie, 0, 1,
        "z"))))).isInstanceOf(StaleEpochException.class);
    assertThat(stored()).isZero();
    await(two.kafkaTransactions().end("tx", current, true));
    assertThat(stored()).isEqualTo(3);
    assertThat(staged()).isZero();
  }

  @Test
  void concurrentTransactionsCommitWholeAndInterleaveOnlyBetweenEachOther() {
    // given ten producers' open transactions of 50 records each into the same log
    List<ProducerIdentity> producers = new ArrayList<>();
    for (int p = 0; p < 10; p++) {
      QueenCore through = p % 2 == 0 ? one : two;
      ProducerIdentity producer = await(through.kafkaTransactions().init("tx-" + p, 60_000, null));
      await(through.kafkaTransactions().addPartitions("tx-" + p, producer, List.of(new TxnPartition(topic.id(), 0))));
      await(through.kafkaTransactions().stage("tx-" + p, producer, List.of(batch(topic, producer, 0, 50, p + ":"))));
      producers.add(producer);
    }
    // when they all commit at once, over both instances
    List<Future<Void>> ends = new ArrayList<>();
    for (int p = 0; p < 10; p++) {
      ends.add((p % 2 == 0 ? two : one).kafkaTransactions().end("tx-" + p, producers.get(p), p != 3));
    }
    ends.forEach(end -> await(end));

    // then each committed transaction's records are contiguous in the log, and the aborted one is absent
    List<String> log = new ArrayList<>();
    await(db.database().pool().query("SELECT convert_from(payload, 'UTF8') FROM messages ORDER BY log_offset")
        .execute()).forEach(row -> log.add(row.getString(0)));
    assertThat(log).hasSize(9 * 50).noneMatch(value -> value.startsWith("3:"));
    for (int start = 0; start < log.size(); start += 50) {
      String owner = log.get(start).substring(0, log.get(start).indexOf(':') + 1);
      assertThat(log.subList(start, start + 50)).allMatch(value -> value.startsWith(owner));
    }
  }

  @Test
  void theTimeoutAbortsAndFences() {
    ProducerIdentity producer = await(one.kafkaTransactions().init("slow", 1, null));
    await(one.kafkaTransactions().addPartitions("slow", producer, List.of(new TxnPartition(topic.id(), 0))));
    await(one.kafkaTransactions().stage("slow", producer, List.of(batch(topic, producer, 0, 2, "s"))));

    Eventually.until(Duration.ofSeconds(10), () -> await(two.transactionTimeouts().abortExpired()) == 1,
        () -> "the transaction was not aborted");

    assertThat(staged()).isZero();
    assertThatThrownBy(() -> await(one.kafkaTransactions().end("slow", producer, true)))
        .isInstanceOfSatisfying(TransactionRefusedException.class,
            refused -> assertThat(refused.reason()).isEqualTo(Reason.FENCED));
    assertThat(stored()).isZero();
  }
}
