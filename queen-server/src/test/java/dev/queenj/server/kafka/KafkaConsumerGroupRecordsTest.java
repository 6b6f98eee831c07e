package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole Kafka path with real clients and no help: an idempotent producer, then a consumer group that starts
 * from the earliest offsets (ListOffsets), fetches, commits, and hands over to a later member, which resumes exactly
 * after what was committed: nothing lost, nothing twice.
 */
@ExtendWith(RunningServer.class)
class KafkaConsumerGroupRecordsTest {
  private static final long WAIT_MS = 60_000;
  private final TestServer server;
  private final String topic = "group-records-" + UUID.randomUUID();
  private final String group = "readers-" + UUID.randomUUID();

  KafkaConsumerGroupRecordsTest(TestServer server) {
    this.server = server;
  }

  @Test
  void aGroupReadsEveryRecordOnceAndALaterMemberResumesAfterTheCommits() throws Exception {
    produce(0, 200);
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> a = member(); KafkaConsumer<byte[], byte[]> b = member()) {
      long deadline = System.currentTimeMillis() + WAIT_MS;
      while (seen.size() < 200) {
        for (KafkaConsumer<byte[], byte[]> member : List.of(a, b)) {
          for (ConsumerRecord<byte[], byte[]> record : member.poll(Duration.ofMillis(100))) {
            seen.add(new String(record.value(), StandardCharsets.UTF_8));
          }
          member.commitSync();
        }
        assertThat(System.currentTimeMillis()).as("all records within a minute, got %d", seen.size())
            .isLessThan(deadline);
      }
      assertThat(a.assignment()).isNotEmpty();
      assertThat(b.assignment()).isNotEmpty();
    }
    assertThat(seen).hasSize(200);
    assertThat(new HashSet<>(seen)).hasSize(200);

    produce(200, 10);
    Set<String> later = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> c = member()) {
      long deadline = System.currentTimeMillis() + WAIT_MS;
      while (later.size() < 10) {
        for (ConsumerRecord<byte[], byte[]> record : c.poll(Duration.ofMillis(100))) {
          assertThat(later.add(new String(record.value(), StandardCharsets.UTF_8))).isTrue();
        }
        assertThat(System.currentTimeMillis()).as("the new records within a minute").isLessThan(deadline);
      }
      // a little longer: nothing committed before comes again
      long quiet = System.currentTimeMillis() + 1_000;
      while (System.currentTimeMillis() < quiet) {
        assertThat(c.poll(Duration.ofMillis(100))).isEmpty();
      }
    }
    Set<String> expected = new HashSet<>();
    for (int i = 200; i < 210; i++) {
      expected.add("record-" + i);
    }
    assertThat(later).isEqualTo(expected);
  }

  private void produce(int from, int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (int i = from; i < from + count; i++) {
        producer.send(new ProducerRecord<>(topic, ("key-" + i % 17).getBytes(StandardCharsets.UTF_8),
            ("record-" + i).getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
      }
    }
  }

  private KafkaConsumer<byte[], byte[]> member() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + server.kafkaPort());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }
}
