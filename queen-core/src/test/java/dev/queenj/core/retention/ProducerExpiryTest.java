package dev.queenj.core.retention;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.QueenCore;
import dev.queenj.core.error.OutOfSequenceException;
import dev.queenj.core.error.TransactionRefusedException;
import dev.queenj.core.error.TransactionRefusedException.Reason;
import dev.queenj.core.kafkatxn.KafkaTransactions;
import dev.queenj.core.kafkatxn.ProducerIdentity;
import dev.queenj.core.kafkatxn.StagedBatch;
import dev.queenj.core.kafkatxn.TxnPartition;
import dev.queenj.core.push.KafkaOrigin;
import dev.queenj.core.push.ProducerBatch;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.storage.Sql;
import dev.queenj.core.testing.TestDatabase;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The retention cycle forgetting Kafka producers as Kafka does ({@code producer.id.expiration.ms},
 * {@code transactional.id.expiration.ms}): what is older than the expirations goes, what is younger stays, an open
 * transaction stays whatever its age, and producers coming back afterwards carry on. Ages are made by moving
 * {@code updated_at} and {@code created_at} back; nothing waits for time to pass.
 */
class ProducerExpiryTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);
  /** A minute for producer ids, an hour for transactional ids; batches of two rows, so every delete loops. */
  private static final RetentionConfig CONFIG = new RetentionConfig(60_000, 2, 60_000, 7, 60_000, 60_000, 3_600_000);

  private QueenCore core;
  private Queue topic;

  @BeforeEach
  void start() {
    await(db.database().pool().query("DELETE FROM service_leases").execute());
    // producer ids outlive the tables the test database truncates (nothing references them); start without any
    await(db.database().pool().query("DELETE FROM kafka_producer_ids").execute());
    core = new QueenCore(db.database(), 2, CONFIG);
    topic = await(core.queues().create("produced", 2, Map.of())).orElseThrow();
  }

  @Test
  void idleProducerStatesAndIdsGoRecentOnesStay() {
    // given producer a in both logs, producer b in log 0, an id c that never wrote and an id d just handed out
    ProducerIdentity a = await(core.kafkaTransactions().initIdempotent());
    ProducerIdentity b = await(core.kafkaTransactions().initIdempotent());
    ProducerIdentity c = await(core.kafkaTransactions().initIdempotent());
    ProducerIdentity d = await(core.kafkaTransactions().initIdempotent());
    produce(a, 0, 0, 3);
    produce(a, 1, 0, 3);
    produce(b, 0, 0, 2);
    // and a's state in log 0, and the ids of a and c, older than the expiration
    age("kafka_producer_state", "producer_id = $1 AND kafka_partition = 0", a.producerId(), 120);
    age("kafka_producer_ids", "producer_id = $1", a.producerId(), 120);
    age("kafka_producer_ids", "producer_id = $1", c.producerId(), 120);

    // when a retention cycle runs
    RetentionRun run = await(core.retention().runRetention());

    // then a's idle state went, its id stays while it has state in log 1; c's id went; b and d are untouched
    assertThat(run.producerStatesExpired()).isEqualTo(1);
    assertThat(run.producerIdsExpired()).isEqualTo(1);
    assertThat(states(a)).containsExactly(1);
    assertThat(states(b)).containsExactly(0);
    assertThat(ids(a, b, c, d)).containsExactly(a.producerId(), b.producerId(), d.producerId());

    // when a's other state is idle too
    age("kafka_producer_state", "producer_id = $1", a.producerId(), 120);
    RetentionRun second = await(core.retention().runRetention());

    // then it goes, and with it a's id; the totals count both cycles
    assertThat(second.producerStatesExpired()).isEqualTo(1);
    assertThat(second.producerIdsExpired()).isEqualTo(1);
    assertThat(states(a)).isEmpty();
    assertThat(ids(a, b, c, d)).containsExactly(b.producerId(), d.producerId());
    assertThat(core.retention().totals().producerStatesExpired()).isEqualTo(2);
    assertThat(core.retention().totals().producerIdsExpired()).isEqualTo(2);
  }

  @Test
  void manyIdleStatesGoInBatchesInOneCycle() {
    // given five producers idle in both logs (ten states), deleted two per statement
    List<ProducerIdentity> producers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ProducerIdentity p = await(core.kafkaTransactions().initIdempotent());
      produce(p, 0, 0, 1);
      produce(p, 1, 0, 1);
      age("kafka_producer_state", "producer_id = $1", p.producerId(), 120);
      age("kafka_producer_ids", "producer_id = $1", p.producerId(), 120);
      producers.add(p);
    }

    RetentionRun run = await(core.retention().runRetention());

    assertThat(run.producerStatesExpired()).isEqualTo(10);
    assertThat(run.producerIdsExpired()).isEqualTo(5);
    assertThat(ids(producers.toArray(ProducerIdentity[]::new))).isEmpty();
  }

  @Test
  void anIdempotentProducerWhoseStateExpiredIsRefusedALaterSequenceAndStartsAgainAtZero() {
    // given a producer that stored sequences 0-2 in log 0 (this instance remembers its state), then idled
    ProducerIdentity a = await(core.kafkaTransactions().initIdempotent());
    assertThat(produce(a, 0, 0, 3)).isEqualTo(0);
    age("kafka_producer_state", "producer_id = $1", a.producerId(), 120);
    await(core.retention().runRetention());

    // when it sends its next sequence: its state is gone, so the batch is refused (Kafka's clients then bump the
    // epoch and resend from sequence 0), not stored
    assertThatThrownBy(() -> produce(a, 0, 3, 2)).isInstanceOf(OutOfSequenceException.class);

    // and the same batch from the next epoch, at sequence 0, is stored after the first three
    ProducerIdentity bumped = new ProducerIdentity(a.producerId(), (short) (a.epoch() + 1));
    assertThat(produce(bumped, 0, 0, 2)).isEqualTo(3);
    assertThat(states(a)).containsExactly(0);
  }

  @Test
  void idleTransactionalIdsAreForgottenOpenOnesNeverAndAForgottenIdStartsAfresh() {
    // given a committed transaction, an open one, and a fresh id, the first two unchanged for two hours
    ProducerIdentity done = await(core.kafkaTransactions().init("done", 60_000, null));
    commit("done", done, "d");
    ProducerIdentity open = await(core.kafkaTransactions().init("open", 60_000, null));
    await(core.kafkaTransactions().addPartitions("open", open, List.of(new TxnPartition(topic.id(), 0))));
    await(core.kafkaTransactions().stage("open", open, List.of(staged(open, 0, 2, "o"))));
    await(core.kafkaTransactions().init("fresh", 60_000, null));
    age("kafka_transactions", "transactional_id IN ('done', 'open')", null, 7_200);
    age("kafka_producer_state", "true", null, 7_200);
    age("kafka_producer_ids", "true", null, 7_200);

    // when a retention cycle runs
    RetentionRun run = await(core.retention().runRetention());

    // then only the completed id is forgotten (its producer's state and id with it); the open one keeps its staged
    // records and its producer's state
    assertThat(run.transactionalIdsExpired()).isEqualTo(1);
    assertThat(transactionalIds()).containsExactly("fresh", "open");
    assertThat(count("SELECT count(*) FROM kafka_txn_records WHERE transactional_id = 'open'")).isEqualTo(2);
    assertThat(states(open)).containsExactly(0);
    assertThat(states(done)).isEmpty();
    assertThat(ids(done, open)).containsExactly(open.producerId());
    assertThat(core.retention().totals().transactionalIdsExpired()).isEqualTo(1);

    // and the forgotten id's old producer is told its mapping is unknown, as Kafka tells it
    assertThatThrownBy(() -> await(core.kafkaTransactions().addPartitions("done", done,
        List.of(new TxnPartition(topic.id(), 0))))).isInstanceOfSatisfying(TransactionRefusedException.class,
            refused -> assertThat(refused.reason()).isEqualTo(Reason.UNKNOWN_PRODUCER));
    // while the id itself starts afresh (a new producer id at epoch 0) and commits
    ProducerIdentity again = await(core.kafkaTransactions().init("done", 60_000, null));
    assertThat(again.producerId()).isNotEqualTo(done.producerId());
    assertThat(again.epoch()).isZero();
    commit("done", again, "e");
    assertThat(count("SELECT count(*) FROM messages WHERE queue_id = '" + topic.id() + "'")).isEqualTo(4);
  }

  @Test
  void theProducerOfAKeptTransactionalIdKeepsItsStatesUntilTheIdIsForgotten() {
    // given a transactional id that committed, its producer's state idle past producer.id.expiration.ms, the id itself
    // unchanged for less than transactional.id.expiration.ms
    ProducerIdentity kept = await(core.kafkaTransactions().init("kept", 60_000, null));
    commit("kept", kept, "k");
    age("kafka_producer_state", "producer_id = $1", kept.producerId(), 7_200);
    age("kafka_producer_ids", "producer_id = $1", kept.producerId(), 7_200);
    age("kafka_transactions", "transactional_id = 'kept'", null, 120);

    // when a cycle runs, the state stays (refused a later sequence, the producer could not commit again)
    RetentionRun run = await(core.retention().runRetention());
    assertThat(run.producerStatesExpired()).isZero();
    assertThat(states(kept)).containsExactly(0);

    // and once the id is idle past its expiration, the id, the state and the producer id go in one cycle
    age("kafka_transactions", "transactional_id = 'kept'", null, 7_200);
    RetentionRun later = await(core.retention().runRetention());
    assertThat(later.transactionalIdsExpired()).isEqualTo(1);
    assertThat(later.producerStatesExpired()).isEqualTo(1);
    assertThat(states(kept)).isEmpty();
    assertThat(ids(kept)).isEmpty();
  }

  @Test
  void anIdBeingInitialisedIsNotForgottenUnderIt() {
    // given an idle transactional id past the expiration
    await(core.kafkaTransactions().init("returning", 60_000, null));
    age("kafka_transactions", "transactional_id = 'returning'", null, 7_200);
    String create = Sql.load(KafkaTransactions.class, "transaction_create.sql");

    // when its InitProducerId has run its first statement (finding the id) and a retention cycle runs meanwhile
    RetentionRun during = await(db.database().inTransaction(tx -> tx.preparedQuery(create)
        .execute(Tuple.of("returning", 60_000))
        .compose(created -> {
          assertThat(created.size()).isZero();
          return core.retention().runRetention();
        })));

    // then the cycle left the id to its InitProducerId (which goes on to lock and bump it); the next cycle forgets it
    assertThat(during.transactionalIdsExpired()).isZero();
    assertThat(transactionalIds()).containsExactly("returning");
    assertThat(await(core.retention().runRetention()).transactionalIdsExpired()).isEqualTo(1);
  }

  private long produce(ProducerIdentity producer, int log, int firstSequence, int count) {
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(PushItem.kafka(topic.name(), null, ("v" + (firstSequence + i)).getBytes(StandardCharsets.UTF_8),
          new KafkaOrigin(log, null, null, 1_000L + i)));
    }
    return await(core.push().push(items, new ProducerBatch(producer.producerId(), producer.epoch(), firstSequence,
        firstSequence + count - 1)));
  }

  private StagedBatch staged(ProducerIdentity producer, int first, int count, String prefix) {
    List<PushItem> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(PushItem.kafka(topic.name(), null, (prefix + (first + i)).getBytes(StandardCharsets.UTF_8),
          new KafkaOrigin(0, null, null, 1_000L + i)));
    }
    return new StagedBatch(topic, 0, new ProducerBatch(producer.producerId(), producer.epoch(), first,
        first + count - 1), items);
  }

  private void commit(String transactionalId, ProducerIdentity producer, String prefix) {
    await(core.kafkaTransactions().addPartitions(transactionalId, producer, List.of(new TxnPartition(topic.id(), 0))));
    await(core.kafkaTransactions().stage(transactionalId, producer, List.of(staged(producer, 0, 2, prefix))));
    await(core.kafkaTransactions().end(transactionalId, producer, true));
  }

  /** Moves the rows of {@code table} matching {@code where} (with $1 = {@code producerId}) {@code seconds} back. */
  private static void age(String table, String where, Long producerId, int seconds) {
    String column = table.equals("kafka_producer_ids") ? "created_at" : "updated_at";
    String sql = "UPDATE " + table + " SET " + column + " = now() - make_interval(secs => " + seconds + ") WHERE "
        + where;
    await(producerId == null ? db.database().pool().query(sql).execute()
        : db.database().pool().preparedQuery(sql).execute(Tuple.of(producerId)));
  }

  private static List<Integer> states(ProducerIdentity producer) {
    List<Integer> logs = new ArrayList<>();
    await(db.database().pool().preparedQuery("SELECT kafka_partition FROM kafka_producer_state "
        + "WHERE producer_id = $1 ORDER BY kafka_partition").execute(Tuple.of(producer.producerId())))
        .forEach(row -> logs.add(row.getInteger(0)));
    return logs;
  }

  private static List<Long> ids(ProducerIdentity... producers) {
    Long[] wanted = new Long[producers.length];
    for (int i = 0; i < producers.length; i++) {
      wanted[i] = producers[i].producerId();
    }
    List<Long> ids = new ArrayList<>();
    await(db.database().pool().preparedQuery("SELECT producer_id FROM kafka_producer_ids "
        + "WHERE producer_id = ANY($1) ORDER BY producer_id").execute(Tuple.of(wanted)))
        .forEach(row -> ids.add(row.getLong(0)));
    return ids;
  }

  private static List<String> transactionalIds() {
    List<String> names = new ArrayList<>();
    await(db.database().pool().query("SELECT transactional_id FROM kafka_transactions ORDER BY 1").execute())
        .forEach(row -> names.add(row.getString(0)));
    return names;
  }

  private static long count(String sql) {
    Row row = await(db.database().pool().query(sql).execute()).iterator().next();
    return row.getLong(0);
  }
}
