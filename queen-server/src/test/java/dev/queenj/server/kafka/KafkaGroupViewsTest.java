package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import dev.queenj.server.TestServer.Reply;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka consumer groups in the operators' views ({@code /consumer-groups}, {@code /status*}) with their lag, and
 * Kafka work counted in {@code /status/analytics}: fetched records as popped, records a commit moves a group past as
 * acked, a transaction's records as pushed when it commits. Real Kafka clients; every topic is this test's own, so
 * the shared server's counts of other tests do not mix in.
 */
@ExtendWith(RunningServer.class)
class KafkaGroupViewsTest {
  private static final long WAIT_MS = 20_000;
  private final TestServer server;
  private final String topic = "kviews-" + UUID.randomUUID();
  private final String group = "kviewers-" + UUID.randomUUID();

  KafkaGroupViewsTest(TestServer server) {
    this.server = server;
  }

  @Test
  void aKafkaGroupIsListedWithItsLagWhichDropsAsItCommitsAndItsWorkIsCounted() throws Exception {
    // given: 10 records on partition 0 and 4 on partition 1; the group's one member reads them all (fetched: counted
    // popped) and commits 6 and 1 (its first commits: they count nothing acked)
    createTopic(2);
    produce(0, 10);
    produce(1, 4);
    long groupsBefore = statusGroupCounts().counted();
    TopicPartition p0 = new TopicPartition(topic, 0);
    TopicPartition p1 = new TopicPartition(topic, 1);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
      consumer.subscribe(List.of(topic));
      int read = 0;
      long deadline = System.currentTimeMillis() + WAIT_MS;
      while (read < 14) {
        read += consumer.poll(Duration.ofMillis(100)).count();
        assertThat(System.currentTimeMillis()).as("14 records fetched, got %d", read).isLessThan(deadline);
      }
      consumer.commitSync(Map.of(p0, new OffsetAndMetadata(6), p1, new OffsetAndMetadata(1)));

      // then: listed beside Queen's groups, with its lag and its live member
      JsonNode listed = kafkaGroup();
      assertThat(listed.get("queueName").asText()).isEqualTo(topic);
      assertThat(listed.get("totalLag").asLong()).isEqualTo(4 + 3);
      assertThat(listed.get("partitionsWithLag").asInt()).isEqualTo(2);
      assertThat(listed.get("members").asInt()).isEqualTo(1);
      assertThat(listed.get("state").asText()).isEqualTo("Stable");
      assertThat(listed.get("maxTimeLag").asLong()).isNotNegative();
      JsonNode partitions = server.get("/api/v1/consumer-groups/" + group).body().get(topic).get("partitions");
      assertThat(partitions).extracting(p -> p.get("partition").asText()).containsExactly("0", "1");
      assertThat(partitions).extracting(p -> p.get("offsetLag").asLong()).containsExactly(4L, 3L);
      assertThat(partitions).allSatisfy(p -> assertThat(p.get("protocol").asText()).isEqualTo("kafka"));
      assertThat(server.get("/api/v1/consumer-groups/lagging?minLagSeconds=0").body())
          .filteredOn(p -> p.get("consumerGroup").asText().equals(group))
          .extracting(p -> p.get("offsetLag").asLong()).containsExactly(4L, 3L);
      JsonNode statusLag = statusLag();
      assertThat(statusLag.get("partitions").asInt()).isEqualTo(2);
      assertThat(statusLag.get("partitionsWithLag").asInt()).isEqualTo(2);
      assertThat(statusLag.get("offsetLag").asLong()).isEqualTo(7);
      // and: GET /status counts it among the consumer groups, in its counts and in its lag totals
      GroupCounts groups = statusGroupCounts();
      assertThat(groups.counted()).isEqualTo(groupsBefore + 1);
      assertThat(groups.lagging()).isGreaterThanOrEqualTo(1);
      JsonNode queueStatus = server.get("/api/v1/status/queues/" + topic).body();
      assertThat(queueStatus.get("lag")).extracting(l -> l.get("protocol").asText()).containsExactly("kafka");

      // and: a group with a live member is not deleted, nothing changes
      Reply refused = server.delete("/api/v1/consumer-groups/" + group + "?protocol=kafka");
      assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
      assertThat(refused.body().get("error").asText()).contains("live members");
      assertThat(kafkaGroup().get("totalLag").asLong()).isEqualTo(7);

      // when: it commits further, then its member leaves
      consumer.commitSync(Map.of(p0, new OffsetAndMetadata(10), p1, new OffsetAndMetadata(4)));
    }

    // then: caught up, and the 4 + 3 records the commit moved past are counted acked
    JsonNode caughtUp = kafkaGroup();
    assertThat(caughtUp.get("totalLag").asLong()).isZero();
    assertThat(caughtUp.get("partitionsWithLag").asInt()).isZero();
    assertThat(caughtUp.get("maxTimeLag").asLong()).isZero();
    JsonNode totals = totals(topic);
    assertThat(totals.get("pushed").asLong()).isEqualTo(14);
    assertThat(totals.get("popped").asLong()).as("records fetched").isEqualTo(14);
    assertThat(totals.get("acked").asLong()).as("records the second commit moved past").isEqualTo(7);

    // and: without members (this instance coordinates it and knows) it is Empty and can be deleted
    assertThat(caughtUp.get("state").asText()).isEqualTo("Empty");
    assertThat(caughtUp.get("members").asInt()).isZero();
    Reply deleted = server.delete("/api/v1/consumer-groups/" + group + "?protocol=kafka");
    assertThat(deleted.status()).as("%s", deleted.body()).isEqualTo(200);
    assertThat(deleted.body().get("deletedOffsets").asInt()).isEqualTo(2);
    assertThat(server.get("/api/v1/consumer-groups").body())
        .noneMatch(g -> g.get("name").asText().equals(group));
  }

  @Test
  void aKafkaGroupCoordinatedByAnotherInstanceIsUnknownAndNotDeleted() throws Exception {
    // given: a group's committed offsets, and its coordinator lease held by another (simulated) instance
    createTopic(1);
    produce(0, 3);
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
      consumer.assign(List.of(p0));
      consumer.commitSync(Map.of(p0, new OffsetAndMetadata(1)));
    }
    assertThat(kafkaGroup().get("state").asText()).as("coordinated here, no member").isEqualTo("Empty");
    Vertx vertx = Vertx.vertx();
    try {
      Database database = TestPostgres.database(vertx, 1);
      TestPostgres.await(database.pool().preparedQuery("UPDATE queen_group_leases SET owner = 'elsewhere', "
          + "expires_at = now() + interval '1 minute' WHERE group_id = $1").execute(Tuple.of(group)));
      TestPostgres.await(database.close());
    } finally {
      TestPostgres.await(vertx.close());
    }

    // then: its members are in the other instance's memory: Unknown, and not deleted
    Eventually.until(Duration.ofSeconds(10), () -> kafkaGroup().get("state").asText().equals("Unknown"),
        () -> "not Unknown once another instance holds the lease: " + kafkaGroup());
    assertThat(kafkaGroup().get("totalLag").asLong()).isEqualTo(2);
    Reply refused = server.delete("/api/v1/consumer-groups/" + group + "?protocol=kafka");
    assertThat(refused.status()).as("%s", refused.body()).isEqualTo(400);
    assertThat(kafkaGroup().get("totalLag").asLong()).isEqualTo(2);
    Reply badProtocol = server.delete("/api/v1/consumer-groups/" + group + "?protocol=mqtt");
    assertThat(badProtocol.status()).isEqualTo(400);
    assertThat(badProtocol.body().get("error").asText()).isEqualTo("protocol must be queen or kafka");
  }

  @Test
  void aTransactionsRecordsCountAsPushedWhenItCommitsAndNeverWhenItAborts() throws Exception {
    createTopic(1);
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kviews-tx-" + UUID.randomUUID()))) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < 3; i++) {
        producer.send(record(0, "kept-" + i)).get(WAIT_MS, TimeUnit.MILLISECONDS);
      }
      assertThat(totals(topic).get("pushed").asLong()).as("staged, not committed").isZero();
      producer.commitTransaction();
      producer.beginTransaction();
      for (int i = 0; i < 2; i++) {
        producer.send(record(0, "dropped-" + i)).get(WAIT_MS, TimeUnit.MILLISECONDS);
      }
      producer.abortTransaction();
    }
    assertThat(totals(topic).get("pushed").asLong()).isEqualTo(3);
  }

  @Test
  void offsetsCommittedInATransactionCountAsAckedWhenItCommitsAndNeverWhenItAborts() throws Exception {
    // given: 8 records; a read-process-write producer commits the group at 2 (a partition's first commit: nothing
    // counted, where the group started is not known), then at 5 (3 moved past), then aborts a move to 8
    createTopic(1);
    produce(0, 8);
    TopicPartition p0 = new TopicPartition(topic, 0);
    ConsumerGroupMetadata groupMetadata = new ConsumerGroupMetadata(group);
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kviews-txo-" + UUID.randomUUID()))) {
      producer.initTransactions();
      for (long offset : new long[] {2, 5}) {
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(Map.of(p0, new OffsetAndMetadata(offset)), groupMetadata);
        producer.commitTransaction();
      }
      producer.beginTransaction();
      producer.sendOffsetsToTransaction(Map.of(p0, new OffsetAndMetadata(8)), groupMetadata);
      producer.abortTransaction();
    }

    // then
    assertThat(totals(topic).get("acked").asLong()).isEqualTo(3);
    assertThat(kafkaGroup().get("totalLag").asLong()).isEqualTo(3);
  }

  @Test
  void aStreamCyclesSinkPushAndAckAreCounted() {
    String source = "kviews-src-" + UUID.randomUUID();
    String sink = "kviews-out-" + UUID.randomUUID();
    Reply registered = server.post("/streams/v1/queries", "{\"name\":\"kviews\",\"source_queue\":\"" + source
        + "\",\"sink_queue\":\"" + sink + "\",\"config_hash\":\"h\"}");
    assertThat(registered.status()).as("%s", registered.body()).isEqualTo(200);
    String queryId = registered.body().get("query_id").asText();
    server.post("/api/v1/push", "{\"items\":[{\"queue\":\"" + source + "\",\"partition\":\"p\","
        + "\"transactionId\":\"m1\"}]}");
    JsonNode message = server.get("/api/v1/pop/queue/" + source + "?consumerGroup=streamers&batch=1").body()
        .get("messages").get(0);

    Reply cycle = server.post("/streams/v1/cycle", "{\"query_id\":\"" + queryId + "\",\"partition_id\":\""
        + message.get("partitionId").asText() + "\",\"consumer_group\":\"streamers\",\"push_items\":["
        + "{\"queue\":\"" + sink + "\",\"partition\":\"p\",\"payload\":{\"n\":1}},"
        + "{\"queue\":\"" + sink + "\",\"partition\":\"p\",\"payload\":{\"n\":2}}],"
        + "\"ack\":{\"transactionId\":\"m1\",\"leaseId\":\"" + message.get("leaseId").asText()
        + "\",\"status\":\"completed\",\"count\":1}}");

    assertThat(cycle.status()).as("%s", cycle.body()).isEqualTo(200);
    assertThat(cycle.body().get("success").asBoolean()).as("%s", cycle.body()).isTrue();
    assertThat(totals(sink).get("pushed").asLong()).isEqualTo(2);
    JsonNode sourceTotals = totals(source);
    assertThat(sourceTotals.get("pushed").asLong()).isEqualTo(1);
    assertThat(sourceTotals.get("popped").asLong()).isEqualTo(1);
    assertThat(sourceTotals.get("acked").asLong()).isEqualTo(1);
  }

  private void createTopic(int partitions) throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
          .get(WAIT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void produce(int partition, int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (int i = 0; i < count; i++) {
        producer.send(record(partition, "r-" + partition + "-" + i)).get(WAIT_MS, TimeUnit.MILLISECONDS);
      }
    }
  }

  private ProducerRecord<byte[], byte[]> record(int partition, String value) {
    return new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8));
  }

  /** This test's group in {@code GET /consumer-groups}: exactly one entry, a Kafka one. */
  private JsonNode kafkaGroup() {
    List<JsonNode> found = new java.util.ArrayList<>();
    server.get("/api/v1/consumer-groups").body().forEach(g -> {
      if (g.get("name").asText().equals(group)) {
        found.add(g);
      }
    });
    assertThat(found).hasSize(1);
    assertThat(found.get(0).get("protocol").asText()).isEqualTo("kafka");
    return found.get(0);
  }

  /**
   * {@code GET /status}'s consumer groups, read anew (its reads are reused 5 s for the whole server) and forgotten
   * after, so that no later test is answered this one's: {@code counted} from its counts, {@code lagging} from its lag.
   */
  private GroupCounts statusGroupCounts() {
    server.forgetRecentReads();
    try {
      JsonNode status = server.get("/api/v1/status").body();
      return new GroupCounts(status.get("consumerGroups").asLong(), status.get("lag").get("laggingGroups").asLong());
    } finally {
      server.forgetRecentReads();
    }
  }

  private record GroupCounts(long counted, long lagging) {}

  /** The group's entry in the topic's {@code /status/analytics} lag (a first read of that queue: not reused). */
  private JsonNode statusLag() {
    JsonNode lag = server.get("/api/v1/status/analytics?queue=" + topic).body().get("lag");
    assertThat(lag).hasSize(1);
    assertThat(lag.get(0).get("consumerGroup").asText()).isEqualTo(group);
    assertThat(lag.get(0).get("protocol").asText()).isEqualTo("kafka");
    return lag.get(0);
  }

  private JsonNode totals(String queue) {
    return server.get("/api/v1/status/analytics?queue=" + queue).body().get("throughput").get("totals");
  }
}
