package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.popIds;
import static dev.queenj.server.kafka.KafkaClients.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.core.retention.RetentionRun;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Log compaction with real clients: a topic created compacted keeps the latest record of every key and drops deleted
 * keys once their tombstone outlived delete.retention.ms, offsets of survivors unchanged, the log start where it was,
 * a fetch into a gap answered from the next record. Compaction cycles run directly, by a service over the same
 * database (the server's own may run one meanwhile: a cycle skipped for its lease is run again).
 */
@ExtendWith(RunningServer.class)
class KafkaCompactionTest {
  private static final int WAIT_SECONDS = 30;
  @RegisterExtension
  static final TestDatabase DB = new TestDatabase(2);
  private final TestServer server;

  KafkaCompactionTest(TestServer server) {
    this.server = server;
  }

  @Test
  void readersSeeTheLatestValueOfEveryLiveKeyAtItsOwnOffset() throws Exception {
    // given a compacted topic whose tombstones expire after one second
    TopicPartition p0 = new TopicPartition("profiles", 0);
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("profiles", 1, (short) 1).configs(Map.of(
          "cleanup.policy", "compact", "delete.retention.ms", "1000")))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      // offsets: a=0 b=1 a=2 c=3 b=null(4) a=5 d=6 c=7
      produce("profiles", "a", "a1", "b", "b1", "a", "a2", "c", "c1", "b", null, "a", "a3", "d", "d1", "c", "c2");

      // when compaction has run once
      compactOnce();

      // then the latest record of every key is left at its offset, the tombstone too (it is younger than 1 s)
      assertThat(read("profiles", 4)).containsExactly("4:b=null", "5:a=a3", "6:d=d1", "7:c=c2");
      assertThat(KafkaClients.offset(admin, p0, OffsetSpec.earliest())).isZero();
      assertThat(KafkaClients.offset(admin, p0, OffsetSpec.latest())).isEqualTo(8);
      // and a fetch from an offset that fell in a gap answers the next record
      assertThat(readFrom("profiles", 1, 3)).containsExactly("4:b=null", "5:a=a3", "6:d=d1");

      // when the tombstone has outlived delete.retention.ms
      Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> {
        compactOnce();
        return stored("profiles") == 3;
      }, () -> stored("profiles") + " records stored");

      // then the deleted key is gone; offsets and the log start are unchanged
      assertThat(read("profiles", 3)).containsExactly("5:a=a3", "6:d=d1", "7:c=c2");
      assertThat(KafkaClients.offset(admin, p0, OffsetSpec.earliest())).isZero();
      assertThat(KafkaClients.offset(admin, p0, OffsetSpec.latest())).isEqualTo(8);
      // and later overwrites are compacted in turn
      produce("profiles", "d", "d2");
      compactOnce();
      assertThat(read("profiles", 3)).containsExactly("5:a=a3", "7:c=c2", "8:d=d2");
    }
  }

  @Test
  void recordsWithinMinCompactionLagAndTheNewestTombstoneStay() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(
          new NewTopic("lagging", 1, (short) 1).configs(Map.of("cleanup.policy", "compact",
              "min.compaction.lag.ms", "3600000")),
          new NewTopic("ending", 1, (short) 1).configs(Map.of("cleanup.policy", "compact,delete",
              "delete.retention.ms", "0"))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      produce("lagging", "k", "v1", "k", "v2", "k", "v3");
      produce("ending", "k", "v1", "k", null);

      compactOnce();

      // records younger than the lag are all kept
      assertThat(read("lagging", 3)).containsExactly("0:k=v1", "1:k=v2", "2:k=v3");
      // the newest record of a log stays even when it is an expired tombstone (as Kafka's active segment does)
      assertThat(read("ending", 1)).containsExactly("1:k=null");
    }
  }

  @Test
  void aCompactedTopicRefusesRecordsWithoutKeyAndBadConfigs() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("keyed", 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of("retries", 0))) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("keyed", 0, null, "v".getBytes()))
            .get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("Compacted topic cannot accept message without key");
      }
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "keyed");
      assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
          new ConfigEntry("delete.retention.ms", "-5"), AlterConfigOp.OpType.SET)))).all()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).cause().isInstanceOf(InvalidConfigurationException.class)
          .hasMessageContaining("delete.retention.ms").hasMessageContaining("at least 0");
      Config config = admin.describeConfigs(List.of(topic)).all().get(WAIT_SECONDS, TimeUnit.SECONDS).get(topic);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(config.get("delete.retention.ms").value()).isEqualTo("86400000");
    }
  }

  @Test
  void topicsCreatedWithTheConfigsOfStreamsAndConnectAreDescribedAsSet() throws Exception {
    // Kafka Streams 4.1's internal topics as its InternalTopicConfig subclasses define them (every one also gets
    // message.timestamp.type=CreateTime), and Connect's internal topics (TopicAdmin.defineTopic(..).compacted())
    Map<String, Map<String, String>> topics = Map.of(
        "app-store-changelog", Map.of("cleanup.policy", "compact", "segment.bytes", "52428800",
            "message.timestamp.type", "CreateTime"),
        "app-window-changelog", Map.of("cleanup.policy", "compact,delete", "segment.bytes", "52428800",
            "message.timestamp.type", "CreateTime", "retention.ms", "172800000"),
        "app-versioned-changelog", Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "172800000",
            "message.timestamp.type", "CreateTime"),
        "app-repartition", Map.of("cleanup.policy", "delete", "segment.bytes", "52428800", "retention.ms", "-1",
            "message.timestamp.type", "CreateTime"),
        "connect-configs", Map.of("cleanup.policy", "compact"),
        "connect-offsets", Map.of("cleanup.policy", "compact", "min.insync.replicas", "1"));
    try (Admin admin = KafkaClients.admin(server)) {
      List<NewTopic> creations = new ArrayList<>();
      topics.forEach((name, configs) -> creations.add(new NewTopic(name, 1, (short) 1).configs(configs)));
      admin.createTopics(creations).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      for (Map.Entry<String, Map<String, String>> created : topics.entrySet()) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, created.getKey());
        Config config = admin.describeConfigs(List.of(topic)).all().get(WAIT_SECONDS, TimeUnit.SECONDS).get(topic);
        created.getValue().forEach((name, value) -> {
          assertThat(config.get(name).value()).as("%s %s", created.getKey(), name).isEqualTo(value);
          assertThat(config.get(name).source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        });
      }
    }
  }

  @Test
  void retentionDeletesOnlyOnTopicsWhosePolicyHasDelete() throws Exception {
    // given two topics keeping records one millisecond, one compacted only, one compacted and deleted
    TopicPartition kept = new TopicPartition("kept", 0);
    TopicPartition expiring = new TopicPartition("expiring", 0);
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(
          new NewTopic("kept", 1, (short) 1).configs(Map.of("cleanup.policy", "compact", "retention.ms", "1")),
          new NewTopic("expiring", 1, (short) 1).configs(Map.of("cleanup.policy", "delete,compact",
              "retention.ms", "1")))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      produce("kept", "a", "a1", "b", "b1");
      produce("expiring", "a", "a1", "b", "b1");

      // when retention has run until the second topic's records expired
      RetentionService retention = new RetentionService(DB.database(), RetentionConfig.DEFAULTS);
      Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> {
        TestPostgres.await(retention.runRetention());
        return KafkaClients.offset(admin, expiring, OffsetSpec.earliest()) == 2;
      }, () -> "log start of expiring still " + KafkaClients.offset(admin, expiring, OffsetSpec.earliest()));

      // then the compact-only topic kept its records, as Kafka does
      assertThat(KafkaClients.offset(admin, kept, OffsetSpec.earliest())).isZero();
      assertThat(read("kept", 2)).containsExactly("0:a=a1", "1:b=b1");
    }
  }

  @Test
  void deleteRecordsIsAPolicyViolationOnATopicThatIsOnlyCompacted() throws Exception {
    TopicPartition compacted = new TopicPartition("compacted", 0);
    TopicPartition both = new TopicPartition("both", 0);
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(
          new NewTopic("compacted", 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
          new NewTopic("both", 1, (short) 1).configs(Map.of("cleanup.policy", "compact,delete"))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      produce("compacted", "a", "a1", "b", "b1");
      produce("both", "a", "a1", "b", "b1");

      assertThatThrownBy(() -> admin.deleteRecords(Map.of(compacted, RecordsToDelete.beforeOffset(1))).all()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)).cause().isInstanceOf(PolicyViolationException.class);
      assertThat(KafkaClients.offset(admin, compacted, OffsetSpec.earliest())).isZero();
      assertThat(admin.deleteRecords(Map.of(both, RecordsToDelete.beforeOffset(1))).lowWatermarks().get(both)
          .get(WAIT_SECONDS, TimeUnit.SECONDS).lowWatermark()).isEqualTo(1);
    }
  }

  @Test
  void nativePushesAreKeyedByTheirPartitionAndPopsSkipTheGaps() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("latest", 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    push(server, "latest", "alpha", "a1", "a2");
    push(server, "latest", "beta", "b1");
    push(server, "latest", "alpha", "a3");

    compactOnce();

    assertThat(stored("latest")).isEqualTo(2);
    assertThat(popIds(server, "latest", "alpha")).containsExactly("a3");
    assertThat(popIds(server, "latest", "beta")).containsExactly("b1");
  }

  private static void compactOnce() {
    RetentionService service = new RetentionService(DB.database(), RetentionConfig.DEFAULTS);
    Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> {
      RetentionRun run = TestPostgres.await(service.runCompaction());
      return run.ran();
    }, () -> "the compaction lease stayed taken");
  }

  /** Produces key, value pairs (a null value is a tombstone) to partition 0, in order. */
  private void produce(String topic, String... keysAndValues) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (int i = 0; i < keysAndValues.length; i += 2) {
        byte[] value = keysAndValues[i + 1] == null ? null : keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, 0, keysAndValues[i].getBytes(StandardCharsets.UTF_8), value))
            .get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  private List<String> read(String topic, int n) {
    return readFrom(topic, 0, n);
  }

  /** "offset:key=value" of the first {@code n} records a consumer seeking {@code from} reads. */
  private List<String> readFrom(String topic, long from, int n) {
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of())) {
      consumer.assign(List.of(p0));
      consumer.seek(p0, from);
      Map<Long, String> records = new LinkedHashMap<>();
      Eventually.until(Duration.ofSeconds(WAIT_SECONDS), () -> {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          records.put(record.offset(), record.offset() + ":" + new String(record.key(), StandardCharsets.UTF_8) + "="
              + (record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8)));
        }
        return records.size() >= n;
      }, () -> "read " + records.values());
      return new ArrayList<>(records.values()).subList(0, n);
    }
  }

  private static long stored(String queue) {
    return TestPostgres.await(DB.database().pool().preparedQuery("SELECT count(*) FROM messages m JOIN queues q "
            + "ON q.id = m.queue_id WHERE q.name = $1").execute(Tuple.of(queue))
        .map(rows -> rows.iterator().next().getLong(0)));
  }
}
