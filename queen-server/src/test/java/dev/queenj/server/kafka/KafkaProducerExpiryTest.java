package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.core.retention.RetentionService;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka producers after retention forgot them ({@code producer.id.expiration.ms}, {@code transactional.id
 * .expiration.ms}, at Kafka's defaults), with real clients: an idle idempotent producer's next send is refused
 * OUT_OF_ORDER_SEQUENCE_NUMBER once, the client bumps its epoch and resends from sequence 0, and every record is
 * stored once; a transactional id forgotten after its commit initialises afresh and commits. Ages are made by moving
 * {@code updated_at} back; retention cycles are run directly, by a service over the same database.
 */
@ExtendWith(RunningServer.class)
class KafkaProducerExpiryTest {
  private static final int WAIT_SECONDS = 30;
  @RegisterExtension
  static final TestDatabase DB = new TestDatabase(2);
  private final TestServer server;

  KafkaProducerExpiryTest(TestServer server) {
    this.server = server;
  }

  @Test
  void anIdleIdempotentProducerWhoseStateExpiredRecoversAndStoresEachRecordOnce() throws Exception {
    createTopic("idle-producer");
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
      // given an idempotent producer that stored three records in partition 0, then idled past the expiration
      for (int i = 0; i < 3; i++) {
        send(producer, "idle-producer", "v" + i);
      }
      assertThat(states("idle-producer")).isEqualTo(1);
      age("UPDATE kafka_producer_state SET updated_at = now() - interval '2 days' WHERE queue_id = "
          + "(SELECT id FROM queues WHERE name = $1)", "idle-producer");

      // when retention runs, its state there is forgotten
      // (a cycle finding the lease held by the server's own retention is skipped; the next one runs)
      Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> {
        runRetention();
        return states("idle-producer") == 0;
      }, () -> "producer state still kept");

      // then its next sends succeed: refused a sequence past 2 (nothing is known of it), the client bumps its
      // epoch and sends the batch again from sequence 0, which is stored after the first three
      assertThat(send(producer, "idle-producer", "v3").offset()).isEqualTo(3);
      assertThat(send(producer, "idle-producer", "v4").offset()).isEqualTo(4);
    }
    // and each record is in the log once, in order
    assertThat(values("idle-producer", "read_uncommitted", 5)).containsExactly("v0", "v1", "v2", "v3", "v4");
    // under the same producer id at the next epoch (the client bumped it itself, without an InitProducerId)
    assertThat(states("idle-producer")).isEqualTo(1);
    assertThat(epochs("idle-producer")).containsExactly(1);
  }

  @Test
  void aTransactionalIdForgottenAfterItsCommitInitialisesAfreshAndCommits() throws Exception {
    createTopic("txn-expiring");
    Map<String, Object> transactional = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "expiring");
    // given a transactional id that committed a transaction and then was unused for eight days
    long firstProducerId;
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, transactional)) {
      producer.initTransactions();
      commit(producer, "txn-expiring", "t0", "t1");
      firstProducerId = producerIdOf("expiring");
    }
    age("UPDATE kafka_transactions SET updated_at = now() - interval '8 days' WHERE transactional_id = $1",
        "expiring");

    // when retention runs, the id is forgotten
    Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> {
      runRetention();
      return producerIdOf("expiring") == -1;
    }, () -> "transactional id still known");

    // then a producer with the same id starts afresh with a new producer id, and commits
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, transactional)) {
      producer.initTransactions();
      commit(producer, "txn-expiring", "t2");
    }
    assertThat(producerIdOf("expiring")).isNotEqualTo(firstProducerId).isPositive();
    assertThat(values("txn-expiring", "read_committed", 3)).containsExactly("t0", "t1", "t2");
  }

  @Test
  void aTransactionalProducerIdleForDaysKeepsItsStatesWhileItsIdIsKeptAndCommitsOn() throws Exception {
    createTopic("txn-idle-state");
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "idle-state"))) {
      // given a transactional producer that committed, then idled two days: past producer.id.expiration.ms, within
      // transactional.id.expiration.ms
      producer.initTransactions();
      commit(producer, "txn-idle-state", "s0", "s1");
      age("UPDATE kafka_producer_state SET updated_at = now() - interval '2 days' WHERE queue_id = "
          + "(SELECT id FROM queues WHERE name = $1)", "txn-idle-state");
      age("UPDATE kafka_transactions SET updated_at = now() - interval '2 days' WHERE transactional_id = $1",
          "idle-state");

      // when a retention cycle has run (one finding the lease held by the server's own is skipped)
      Eventually.until(Duration.ofSeconds(WAIT_SECONDS), KafkaProducerExpiryTest::runRetention,
          () -> "no retention cycle ran");

      // then its state stays with its id (forgotten, its next batch in the middle of its sequence would be refused
      // while committing, which the client does not recover from without a restart), and its next transaction commits
      assertThat(states("txn-idle-state")).isEqualTo(1);
      commit(producer, "txn-idle-state", "s2");
    }
    assertThat(values("txn-idle-state", "read_committed", 3)).containsExactly("s0", "s1", "s2");
  }

  private void createTopic(String topic) throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, String topic, String value)
      throws Exception {
    return producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8)))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static void commit(KafkaProducer<byte[], byte[]> producer, String topic, String... values) {
    producer.beginTransaction();
    for (String value : values) {
      producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8)));
    }
    producer.commitTransaction();
  }

  /** Runs a retention cycle; whether it ran (or found the lease held). */
  private static boolean runRetention() {
    return TestPostgres.await(new RetentionService(DB.database(), RetentionConfig.DEFAULTS).runRetention()).ran();
  }

  private static void age(String sql, String name) {
    TestPostgres.await(DB.database().pool().preparedQuery(sql).execute(Tuple.of(name)));
  }

  private static long states(String topic) {
    return TestPostgres.await(DB.database().pool().preparedQuery("SELECT count(*) FROM kafka_producer_state s "
        + "JOIN queues q ON q.id = s.queue_id WHERE q.name = $1").execute(Tuple.of(topic))
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  private static List<Integer> epochs(String topic) {
    List<Integer> epochs = new ArrayList<>();
    TestPostgres.await(DB.database().pool().preparedQuery("SELECT s.producer_epoch FROM kafka_producer_state s "
        + "JOIN queues q ON q.id = s.queue_id WHERE q.name = $1").execute(Tuple.of(topic)))
        .forEach(row -> epochs.add(row.getInteger(0)));
    return epochs;
  }

  /** The producer id a transactional id is mapped to, -1 when it is not known. */
  private static long producerIdOf(String transactionalId) {
    return TestPostgres.await(DB.database().pool().preparedQuery("SELECT producer_id FROM kafka_transactions "
        + "WHERE transactional_id = $1").execute(Tuple.of(transactionalId))
        .map(rows -> rows.size() == 0 ? -1L : rows.iterator().next().getLong(0)));
  }

  /** The values in partition 0 of {@code topic} from the start, read at {@code isolation}, once {@code n} are. */
  private List<String> values(String topic, String isolation, int n) {
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server,
        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
      consumer.assign(List.of(p0));
      consumer.seekToBeginning(List.of(p0));
      List<String> values = new ArrayList<>();
      Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
        return values.size() >= n;
      }, () -> "read " + values);
      // anything more (a duplicate) would arrive with the next poll
      consumer.poll(Duration.ofMillis(200)).forEach(record ->
          values.add(new String(record.value(), StandardCharsets.UTF_8)));
      return values;
    }
  }
}
