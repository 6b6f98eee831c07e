package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.push;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real KafkaConsumers with {@code subscribe}: the group protocol as the Java client drives it, with each of its
 * assignors. Until ListOffsets is served every partition starts from an offset committed beforehand (a consumer asks
 * ListOffsets only for partitions without one); records are not fetched here, only assignments and commits are
 * checked.
 */
@ExtendWith(RunningServer.class)
class KafkaConsumerSubscribeTest {
  private static final int PARTITIONS = 8;
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long WAIT_MS = 60_000;

  private final TestServer server;
  private final String group = "subscribers-" + UUID.randomUUID();
  private final List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();

  KafkaConsumerSubscribeTest(TestServer server) {
    this.server = server;
  }

  @ParameterizedTest
  @ValueSource(classes = {RangeAssignor.class, RoundRobinAssignor.class, CooperativeStickyAssignor.class})
  void consumersShareThePartitionsAndRebalanceAsMembersComeAndGo(Class<?> assignor) throws Exception {
    // given
    startFromCommittedOffsets();
    KafkaConsumer<byte[], byte[]> first = subscribed(assignor, Map.of());

    // when one consumer subscribes it gets every partition
    pollUntil(() -> first.assignment().size() == PARTITIONS, first);

    // when a second joins they split them
    KafkaConsumer<byte[], byte[]> second = subscribed(assignor, Map.of());
    pollUntil(() -> split(first, second), first, second);

    // a member's commit, metadata included, is what the other reads back
    TopicPartition owned = first.assignment().iterator().next();
    first.commitSync(Map.of(owned, new OffsetAndMetadata(17, "first was here")));
    assertThat(second.committed(Set.of(owned)).get(owned)).isEqualTo(new OffsetAndMetadata(17, "first was here"));

    // a third joins and leaves again
    KafkaConsumer<byte[], byte[]> third = subscribed(assignor, Map.of());
    pollUntil(() -> split(first, second, third), first, second, third);
    close(third);
    pollUntil(() -> split(first, second), first, second);

    // a consumer that stops polling is taken out of the group (max.poll.interval.ms) and the other takes over
    KafkaConsumer<byte[], byte[]> stalled = subscribed(assignor,
        Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 3_000));
    pollUntil(() -> split(first, second, stalled), first, second, stalled);
    pollUntil(() -> split(first, second), first, second);
  }

  @Test
  void aConsumerResumesFromTheGroupsCommittedOffsets() throws Exception {
    startFromCommittedOffsets();
    // committed positions must lie within each partition's log, or the next member's first fetch is out of range
    // and the consumer resets, as it would against Kafka
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (int i = 0; i < PARTITIONS; i++) {
        for (int n = 0; n < 3; n++) {
          producer.send(new ProducerRecord<>("orders", i, null, new byte[] {(byte) n})).get(30, TimeUnit.SECONDS);
        }
      }
    }
    KafkaConsumer<byte[], byte[]> first = subscribed(RangeAssignor.class, Map.of());
    pollUntil(() -> first.assignment().size() == PARTITIONS, first);
    Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
    for (int i = 0; i < PARTITIONS; i++) {
      progress.put(new TopicPartition("orders", i), new OffsetAndMetadata(1 + i % 3, "p" + i));
    }
    first.commitSync(progress);
    close(first);

    // the next member's first record of each partition is the one at the committed offset; partitions committed at
    // their end (3) deliver nothing
    KafkaConsumer<byte[], byte[]> next = subscribed(RangeAssignor.class, Map.of());
    Map<Integer, Long> firstDelivered = new HashMap<>();
    long resuming = PARTITIONS - PARTITIONS / 3;
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (next.assignment().size() < PARTITIONS || firstDelivered.size() < resuming) {
      next.poll(POLL).forEach(record -> firstDelivered.putIfAbsent(record.partition(), record.offset()));
      assertThat(System.currentTimeMillis()).as("resumed in time: %s", firstDelivered).isLessThan(deadline);
    }
    for (int i = 0; i < PARTITIONS; i++) {
      if (1 + i % 3 < 3) {
        assertThat(firstDelivered.get(i)).as("partition %d", i).isEqualTo(1 + i % 3);
      } else {
        assertThat(firstDelivered).doesNotContainKey(i);
        assertThat(next.position(new TopicPartition("orders", i))).isEqualTo(3);
      }
    }
    assertThat(next.committed(progress.keySet())).isEqualTo(progress);
  }

  @AfterEach
  void closeAll() {
    consumers.forEach(consumer -> consumer.close(Duration.ofSeconds(5)));
  }

  private void startFromCommittedOffsets() throws Exception {
    push(server, "orders", "customer-1");
    Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
    for (int i = 0; i < PARTITIONS; i++) {
      start.put(new TopicPartition("orders", i), new OffsetAndMetadata(0));
    }
    try (Admin admin = KafkaClients.admin(server)) {
      admin.alterConsumerGroupOffsets(group, start).all().get(30, TimeUnit.SECONDS);
    }
  }

  private KafkaConsumer<byte[], byte[]> subscribed(Class<?> assignor, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + server.kafkaPort());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor.getName());
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
    config.putAll(extra);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    consumers.add(consumer);
    consumer.subscribe(List.of("orders"));
    return consumer;
  }

  private void close(KafkaConsumer<byte[], byte[]> consumer) {
    consumers.remove(consumer);
    consumer.close(Duration.ofSeconds(5));
  }

  /** Whether these consumers own every partition between them, each some, none twice. */
  @SafeVarargs
  private static boolean split(KafkaConsumer<byte[], byte[]>... members) {
    Set<TopicPartition> all = new HashSet<>();
    int owned = 0;
    for (KafkaConsumer<byte[], byte[]> member : members) {
      if (member.assignment().isEmpty()) {
        return false;
      }
      owned += member.assignment().size();
      all.addAll(member.assignment());
    }
    return owned == PARTITIONS && all.size() == PARTITIONS;
  }

  /** Drives the consumers (a consumer rebalances only inside poll) until {@code done}, or fails after a minute. */
  @SafeVarargs
  private static void pollUntil(BooleanSupplier done, KafkaConsumer<byte[], byte[]>... members) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      for (KafkaConsumer<byte[], byte[]> member : members) {
        member.poll(POLL);
      }
      if (done.getAsBoolean()) {
        return;
      }
      assertThat(System.currentTimeMillis()).as("consumers settled in time").isLessThan(deadline);
    }
  }
}
