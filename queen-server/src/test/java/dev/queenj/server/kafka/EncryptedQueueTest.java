package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.DatabaseConfig;
import dev.queenj.server.QueenConfig;
import dev.queenj.server.TestServer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A queue with encryptionEnabled on a server with QUEEN_ENCRYPTION_KEY, through both protocols: Postgres holds no
 * plaintext of its payloads (messages, dead letters, staged Kafka transactions), and native pops, GET /messages,
 * /dlq and Kafka fetches answer the plaintext; an altered value fails the Kafka consumer with CORRUPT_MESSAGE.
 */
class EncryptedQueueTest {
  @RegisterExtension
  static final TestDatabase DB = new TestDatabase(2);
  private static final String KEY = "3f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
  private static final int WAIT_MS = 15_000;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new QueenConfig(new DatabaseConfig(TestPostgres.url(), TestServer.freshDataDir(), 8),
        TestServer.defaultHttp(), TestServer.kafka(true), 5_000).withEncryption(PayloadCipher.of(KEY, List.of())));
  }

  @AfterAll
  static void stop() {
    // a server without the key, started later on this database, would refuse to start over these queues
    TestPostgres.reset(DB.database());
    server.close();
  }

  private static void configureEncrypted(String queue) {
    TestServer.Reply reply = server.post("/api/v1/configure",
        "{\"queue\":\"" + queue + "\",\"options\":{\"encryptionEnabled\":true}}");
    assertThat(reply.status()).as("configure answer %s", reply.body()).isEqualTo(200);
  }

  /** The stored payloads of a queue's messages (or of another table's rows, by the query), as Latin-1 text. */
  private static List<Row> rows(String sql, String queue) {
    List<Row> rows = new ArrayList<>();
    TestPostgres.await(DB.database().pool().preparedQuery(sql).execute(Tuple.of(queue))).forEach(rows::add);
    return rows;
  }

  private static List<Row> storedMessages(String queue) {
    return rows("SELECT m.payload, m.payload_key_id, m.record_key FROM messages m JOIN queues q ON q.id = m.queue_id "
        + "WHERE q.name = $1 ORDER BY m.id", queue);
  }

  private static String text(Row row, String column) {
    return new String(row.getBuffer(column).getBytes(), StandardCharsets.ISO_8859_1);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode pushNative(String queue, String partition, String transactionId, String secret) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putArray("items").addObject().put("queue", queue).put("partition", partition)
        .put("transactionId", transactionId).putObject("payload").put("secret", secret);
    TestServer.Reply reply = server.post("/api/v1/push", body);
    assertThat(reply.status()).as("push answer %s", reply.body()).isEqualTo(200);
    return reply.body().get(0);
  }

  private static List<TopicPartition> partitions(String topic) {
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < 8; p++) {
      all.add(new TopicPartition(topic, p));
    }
    return all;
  }

  /** The values of the first {@code expected} records a consumer of {@code isolation} reads from the start. */
  private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, String isolation) {
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server,
        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
      consumer.assign(partitions(topic));
      consumer.seekToBeginning(partitions(topic));
      List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
      long deadline = System.currentTimeMillis() + WAIT_MS;
      while (seen.size() < expected && System.currentTimeMillis() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
      }
      return seen;
    }
  }

  private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
    List<String> values = new ArrayList<>();
    records.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
    return values;
  }

  @Test
  void aStreamCyclesSinkPushesToAnEncryptedQueueAreStoredSealed() {
    configureEncrypted("vault-sink");
    TestServer.Reply query = server.post("/streams/v1/queries",
        "{\"name\":\"vault-sink\",\"source_queue\":\"src\",\"sink_queue\":\"vault-sink\",\"config_hash\":\"h\"}");
    TestServer.Reply cycle = server.post("/streams/v1/cycle", "{\"query_id\":\"" + query.body().get("query_id")
        .asText() + "\",\"partition_id\":\"" + java.util.UUID.randomUUID() + "\",\"push_items\":[{\"queue\":"
        + "\"vault-sink\",\"payload\":{\"secret\":\"s3cr3t-sink\"}}]}");
    assertThat(cycle.body().get("success").asBoolean()).as("%s", cycle.body()).isTrue();
    assertThat(storedMessages("vault-sink")).singleElement().satisfies(row -> {
      assertThat(text(row, "payload")).doesNotContain("s3cr3t");
      assertThat(row.getInteger("payload_key_id")).isNotNull();
    });
    TestServer.Reply pop = server.get("/api/v1/pop/queue/vault-sink?batch=10");
    assertThat(pop.body().get("messages").get(0).get("data").get("secret").asText()).isEqualTo("s3cr3t-sink");
  }

  @Test
  void nativePushesAlsoInTransactionsAreStoredSealedAndPoppedReadAndDeadLetteredInPlaintext() {
    configureEncrypted("vault");
    String partitionId = pushNative("vault", "p", "t1", "s3cr3t-one").get("partition_id").asText();
    TestServer.Reply transaction = server.post("/api/v1/transaction", """
        {"operations":[{"type":"push","items":[
          {"queue":"vault","partition":"p","transactionId":"t2","payload":{"secret":"s3cr3t-two"}}]}]}""");
    assertThat(transaction.body().get("success").asBoolean()).as("%s", transaction.body()).isTrue();

    List<Row> stored = storedMessages("vault");
    assertThat(stored).hasSize(2).allSatisfy(row -> {
      assertThat(text(row, "payload")).doesNotContain("s3cr3t").doesNotContain("secret");
      assertThat(row.getInteger("payload_key_id")).isNotNull();
    });
    JsonNode message = server.get("/api/v1/messages/" + partitionId + "/t1").body();
    assertThat(message.get("data").get("secret").asText()).isEqualTo("s3cr3t-one");

    JsonNode pop = server.get("/api/v1/pop/queue/vault?batch=10").body();
    assertThat(pop.get("messages")).extracting(m -> m.get("data").get("secret").asText())
        .containsExactly("s3cr3t-one", "s3cr3t-two");
    ObjectNode acks = JsonNodeFactory.instance.objectNode().put("consumerGroup", "__QUEUE_MODE__");
    ArrayNode list = acks.putArray("acknowledgments");
    pop.get("messages").forEach(m -> list.addObject().put("transactionId", m.get("transactionId").asText())
        .put("partitionId", m.get("partitionId").asText()).put("status", "dlq").put("error", "give up"));
    assertThat(server.post("/api/v1/ack/batch", acks).status()).isEqualTo(200);

    JsonNode dlq = server.get("/api/v1/dlq?queue=vault").body();
    assertThat(dlq.get("messages")).extracting(m -> m.get("data").get("secret").asText())
        .containsExactlyInAnyOrder("s3cr3t-one", "s3cr3t-two");
    List<Row> dead = rows("SELECT d.payload, d.payload_key_id FROM dead_letters d JOIN queues q ON q.id = d.queue_id "
        + "WHERE q.name = $1", "vault");
    assertThat(dead).hasSize(2).allSatisfy(row -> {
      assertThat(text(row, "payload")).doesNotContain("s3cr3t");
      assertThat(row.getInteger("payload_key_id")).isNotNull();
    });
  }

  @Test
  void aRequeuedDeadLetterIsStoredSealedAgainAndPopsInPlaintext() {
    // given: g1 gave up on a sealed message
    configureEncrypted("vault-requeue");
    String partitionId = pushNative("vault-requeue", "p", "t1", "s3cr3t-back").get("partition_id").asText();
    JsonNode pop = server.get("/api/v1/pop/queue/vault-requeue?batch=10&consumerGroup=g1").body();
    ObjectNode acks = JsonNodeFactory.instance.objectNode().put("consumerGroup", "g1");
    acks.putArray("acknowledgments").addObject().put("transactionId", "t1").put("partitionId", partitionId)
        .put("status", "dlq").put("error", "give up");
    assertThat(pop.get("messages")).hasSize(1);
    assertThat(server.post("/api/v1/ack/batch", acks).status()).isEqualTo(200);

    // when
    TestServer.Reply requeue = server.post("/api/v1/dlq/" + partitionId + "/t1/requeue", "");

    // then: both stored messages are sealed, and the requeued one pops in plaintext
    assertThat(requeue.status()).as("%s", requeue.body()).isEqualTo(200);
    assertThat(storedMessages("vault-requeue")).hasSize(2).allSatisfy(row -> {
      assertThat(text(row, "payload")).doesNotContain("s3cr3t");
      assertThat(row.getInteger("payload_key_id")).isNotNull();
    });
    JsonNode again = server.get("/api/v1/pop/queue/vault-requeue?batch=10&consumerGroup=g1").body();
    assertThat(again.get("messages")).extracting(m -> m.get("data").get("secret").asText())
        .containsExactly("s3cr3t-back");
  }

  @Test
  void kafkaRecordsAndNativePushesOfAnEncryptedTopicReadBackThroughBothProtocols() throws Exception {
    configureEncrypted("vault-k");
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      producer.send(new ProducerRecord<>("vault-k", null, utf8("alice"), utf8("{\"secret\":\"from-kafka\"}"),
          List.of(new RecordHeader("h", utf8("header stays plain"))))).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }
    pushNative("vault-k", "bob", "n1", "from-native");

    List<Row> stored = storedMessages("vault-k");
    assertThat(stored).hasSize(2).allSatisfy(row -> {
      assertThat(text(row, "payload")).doesNotContain("from-");
      assertThat(row.getInteger("payload_key_id")).isNotNull();
    });
    assertThat(stored).extracting(row -> text(row, "record_key")).containsExactlyInAnyOrder("alice", "bob");

    List<ConsumerRecord<byte[], byte[]>> records = consume("vault-k", 2, "read_uncommitted");
    assertThat(values(records)).containsExactlyInAnyOrder("{\"secret\":\"from-kafka\"}",
        "{\"secret\":\"from-native\"}");
    assertThat(records).filteredOn(r -> r.headers().lastHeader("h") != null).singleElement()
        .satisfies(r -> assertThat(r.headers().lastHeader("h").value()).isEqualTo(utf8("header stays plain")));
    JsonNode popped = server.get("/api/v1/pop/queue/vault-k/partition/alice?batch=10").body();
    assertThat(popped.get("messages")).extracting(m -> m.get("data").get("secret").asText())
        .containsExactly("from-kafka");
  }

  @Test
  void aTransactionStagesItsValuesSealedAndCommitsThemReadable() {
    configureEncrypted("vault-tx");
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of("transactional.id", "tx-" + UUID.randomUUID()))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("vault-tx", utf8("k"), utf8("staged-secret")));
      producer.flush();

      List<Row> staged = rows("SELECT r.record_value, r.record_value_key_id FROM kafka_txn_records r "
          + "JOIN queues q ON q.id = r.queue_id WHERE q.name = $1", "vault-tx");
      assertThat(staged).singleElement().satisfies(row -> {
        assertThat(text(row, "record_value")).doesNotContain("staged-secret");
        assertThat(row.getInteger("record_value_key_id")).isNotNull();
      });
      producer.commitTransaction();
    }

    assertThat(values(consume("vault-tx", 1, "read_committed"))).containsExactly("staged-secret");
    assertThat(storedMessages("vault-tx")).singleElement()
        .satisfies(row -> assertThat(text(row, "payload")).doesNotContain("staged-secret"));
  }

  @Test
  void anAlteredValueFailsTheConsumerInsteadOfReachingIt() throws Exception {
    configureEncrypted("vault-bad");
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      producer.send(new ProducerRecord<>("vault-bad", 0, null, utf8("intact"))).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }
    TestPostgres.await(DB.database().pool().preparedQuery("UPDATE messages SET payload = set_byte(payload, 13, "
        + "get_byte(payload, 13) # 1) WHERE queue_id = (SELECT id FROM queues WHERE name = $1)")
        .execute(Tuple.of("vault-bad")));

    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of())) {
      TopicPartition zero = new TopicPartition("vault-bad", 0);
      consumer.assign(List.of(zero));
      consumer.seekToBeginning(List.of(zero));
      assertThatThrownBy(() -> {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (System.currentTimeMillis() < deadline) {
          assertThat(consumer.poll(Duration.ofMillis(100))).isEmpty();
        }
      }).isInstanceOf(KafkaException.class).hasMessageContaining("corrupt");
    }
    TestServer.Reply pop = server.get("/api/v1/pop/queue/vault-bad?batch=10");
    assertThat(pop.status()).isEqualTo(500);
    assertThat(pop.body().get("error").asText()).contains("failed authentication");
  }
}
