package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.testing.Eventually;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Produce, Fetch and ListOffsets through a real KafkaProducer and KafkaConsumer (assign + seek). */
@ExtendWith(RunningServer.class)
class KafkaProduceFetchTest {
  private static final int WAIT_SECONDS = 30;
  private static final String TOPIC = "events";
  private static final long BASE_TIME = 1_700_000_000_000L;
  private final TestServer server;

  KafkaProduceFetchTest(TestServer server) {
    this.server = server;
  }

  /** What was sent, to compare with what comes back. */
  record Sent(int partition, byte[] key, byte[] value, List<Header> headers, long timestamp) {}

  static List<Sent> records(int count) {
    List<Sent> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] key = switch (i % 4) {
        case 0 -> ("customer-" + (i % 7)).getBytes(StandardCharsets.UTF_8);
        case 1 -> null;
        case 2 -> i % 8 == 2 ? new byte[] {(byte) 0xff, (byte) 0xfe, (byte) i}
            : new byte[] {'k', 0, (byte) i}; // valid UTF-8 with a zero byte, as binary keys often have
        default -> "k".getBytes(StandardCharsets.UTF_8);
      };
      byte[] value = i % 5 == 0 ? null : ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 50) + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      List<Header> headers = i % 3 == 0 ? List.of()
          : List.of(new RecordHeader("trace", ("t" + i).getBytes(StandardCharsets.UTF_8)),
              new RecordHeader("empty", null), new RecordHeader("bin", new byte[] {0, 1, (byte) 0x80}));
      sent.add(new Sent(i % 3, key, value, headers, BASE_TIME + i * 1000L));
    }
    return sent;
  }

  static List<RecordMetadata> produce(KafkaProducer<byte[], byte[]> producer, List<Sent> records) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (Sent r : records) {
      acks.add(producer.send(new ProducerRecord<>(TOPIC, r.partition(), r.timestamp(), r.key(), r.value(),
          r.headers())));
    }
    producer.flush();
    List<RecordMetadata> metadata = new ArrayList<>();
    for (Future<RecordMetadata> ack : acks) {
      metadata.add(ack.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
    return metadata;
  }

  /** Everything in partitions 0..2 from the given offsets, waiting until {@code expected} records arrived. */
  static List<ConsumerRecord<byte[], byte[]>> consume(TestServer server, Map<Integer, Long> from, int expected) {
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server)) {
      List<TopicPartition> partitions = from.keySet().stream().map(p -> new TopicPartition(TOPIC, p)).toList();
      consumer.assign(partitions);
      from.forEach((p, offset) -> consumer.seek(new TopicPartition(TOPIC, p), offset));
      List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (received.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(received::add);
      }
      return received;
    }
  }

  static void assertSame(List<ConsumerRecord<byte[], byte[]>> received, List<Sent> sent) {
    assertThat(received).hasSize(sent.size());
    for (int partition = 0; partition < 3; partition++) {
      final int p = partition;
      List<Sent> expected = sent.stream().filter(r -> r.partition() == p).toList();
      List<ConsumerRecord<byte[], byte[]>> got = received.stream().filter(r -> r.partition() == p).toList();
      assertThat(got).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        Sent want = expected.get(i);
        ConsumerRecord<byte[], byte[]> record = got.get(i);
        assertThat(record.key()).isEqualTo(want.key());
        assertThat(record.value()).isEqualTo(want.value());
        assertThat(record.timestamp()).isEqualTo(want.timestamp());
        assertThat(Arrays.asList(record.headers().toArray())).isEqualTo(want.headers());
      }
      for (int i = 1; i < got.size(); i++) {
        assertThat(got.get(i).offset()).isEqualTo(got.get(i - 1).offset() + 1);
      }
    }
  }

  @ParameterizedTest(name = "compression {0}")
  @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
  void idempotentProducerRecordsComeBackByteExact(String compression) throws Exception {
    // given
    List<Sent> sent = records(60);

    // when
    List<RecordMetadata> acks;
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression, ProducerConfig.LINGER_MS_CONFIG, 5))) {
      acks = produce(producer, sent);
    }

    // then offsets are dense per partition, and a consumer reads everything back as it was sent
    for (int p = 0; p < 3; p++) {
      final int partition = p;
      assertThat(acks.stream().filter(a -> a.partition() == partition).map(RecordMetadata::offset).toList())
          .containsExactly(LongStream.range(0, 20).boxed().toArray(Long[]::new));
    }
    assertSame(consume(server, Map.of(0, 0L, 1, 0L, 2, 0L), sent.size()), sent);
  }

  @ParameterizedTest(name = "acks={0}")
  @ValueSource(strings = {"1", "0"})
  void producersWithoutIdempotenceAreStoredToo(String acks) throws Exception {
    List<Sent> sent = records(30);
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of(ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
      List<RecordMetadata> metadata = produce(producer, sent);
      if (acks.equals("1")) {
        assertThat(metadata).allSatisfy(m -> assertThat(m.offset()).isBetween(0L, 9L));
      }
    }
    // acks=0 answers nothing, so the records are awaited by reading them
    assertSame(consume(server, Map.of(0, 0L, 1, 0L, 2, 0L), sent.size()), sent);
  }

  @Test
  void aConsumerSeekingIntoTheMiddleReadsFromThere() throws Exception {
    List<Sent> sent = records(60);
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      produce(producer, sent);
    }
    List<ConsumerRecord<byte[], byte[]>> received = consume(server, Map.of(1, 7L), 13);
    assertThat(received).extracting(ConsumerRecord::offset)
        .containsExactly(LongStream.range(7, 20).boxed().toArray(Long[]::new));
    assertThat(received.get(0).value()).isEqualTo(sent.stream().filter(r -> r.partition() == 1).toList().get(7)
        .value());
  }

  @Test
  void offsetsByPositionAndTime() throws Exception {
    // given partition 0 with timestamps BASE_TIME + 0, 3, 6, … s and partition 2 empty
    List<Sent> sent = records(30).stream().filter(r -> r.partition() == 0).toList();
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      produce(producer, sent);
    }
    TopicPartition p0 = new TopicPartition(TOPIC, 0);
    TopicPartition p2 = new TopicPartition(TOPIC, 2);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server); Admin admin =
        KafkaClients.admin(server)) {
      // then
      assertThat(consumer.beginningOffsets(List.of(p0, p2))).containsEntry(p0, 0L).containsEntry(p2, 0L);
      assertThat(consumer.endOffsets(List.of(p0, p2))).containsEntry(p0, 10L).containsEntry(p2, 0L);
      Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(Map.of(p0, BASE_TIME + 4_000L));
      assertThat(byTime.get(p0).offset()).isEqualTo(2L);
      assertThat(byTime.get(p0).timestamp()).isEqualTo(BASE_TIME + 6_000L);
      Map<TopicPartition, OffsetAndTimestamp> past = consumer.offsetsForTimes(Map.of(p0, BASE_TIME + 999_000L));
      assertThat(past.get(p0)).isNull();
      ListOffsetsResultInfo newest = admin.listOffsets(Map.of(p0, OffsetSpec.maxTimestamp())).partitionResult(p0)
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(newest.offset()).isEqualTo(9L);
      assertThat(newest.timestamp()).isEqualTo(BASE_TIME + 27_000L);
    }
  }

  @Test
  void aParkedFetchIsWokenByAProduce() throws Exception {
    // given a consumer waiting on an empty partition with a long fetch.max.wait.ms
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      producer.send(new ProducerRecord<>(TOPIC, 1, null, "first".getBytes(StandardCharsets.UTF_8)))
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of(
          "fetch.max.wait.ms", 20_000))) {
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        consumer.assign(List.of(p0));
        consumer.seek(p0, 0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        CompletableFuture<Long> woken = CompletableFuture.supplyAsync(() -> {
          while (consumer.poll(Duration.ofMillis(100)).isEmpty()) {
            if (System.nanoTime() > deadline) {
              return Long.MAX_VALUE;
            }
          }
          return System.nanoTime();
        });
        // parked first (as the HTTP long-poll test does), so that only a wake-up can bring it the record below;
        // the fetch listens for appends from before its first read, which finds the partition empty
        Eventually.until(Duration.ofSeconds(10), () -> server.get("/metrics/prometheus").body().asText()
            .contains("queen_append_waiters 1.0"), () -> "the consumer's fetch never parked");

        // when a record is produced while it waits
        long produced = System.nanoTime();
        producer.send(new ProducerRecord<>(TOPIC, 0, null, "wake".getBytes(StandardCharsets.UTF_8)))
            .get(WAIT_SECONDS, TimeUnit.SECONDS);

        // then it arrives long before the fetch would have timed out
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(woken.get(WAIT_SECONDS, TimeUnit.SECONDS) - produced);
        assertThat(latencyMs).as("wake-up latency").isLessThan(10_000L);
        // without waiting for the fetch the consumer parked next: close's own requests queue behind it (a connection
        // answers in order), and a default close waited out most of fetch.max.wait.ms
        consumer.close(Duration.ZERO);
      }
    }
  }

  @Test
  void aBatchAboveMaxMessageBytesIsRefused() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024))) {
      Future<RecordMetadata> tooLarge = producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[1_100_000]));
      assertThatThrownBy(() -> tooLarge.get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RecordTooLargeException.class);
      RecordMetadata fits = producer.send(new ProducerRecord<>(TOPIC, 0, null, new byte[1_000_000]))
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(fits.offset()).isZero();
    }
  }

  @Test
  void aTopicsOwnMaxMessageBytesIsEnforcedAndFollowsItsChanges() throws Exception {
    // given a topic created with a small max.message.bytes
    ConfigResource small = new ConfigResource(ConfigResource.Type.TOPIC, "small");
    try (Admin admin = KafkaClients.admin(server);
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      admin.createTopics(List.of(new NewTopic("small", 1, (short) 1).configs(Map.of("max.message.bytes", "2048"))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // then a batch above it is refused, one below it is stored
      Future<RecordMetadata> tooLarge = producer.send(new ProducerRecord<>("small", 0, null, new byte[4000]));
      assertThatThrownBy(() -> tooLarge.get(WAIT_SECONDS, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RecordTooLargeException.class);
      assertThat(producer.send(new ProducerRecord<>("small", 0, null, new byte[1000]))
          .get(WAIT_SECONDS, TimeUnit.SECONDS).offset()).isZero();

      // and once the config is raised, the larger batch fits
      admin.incrementalAlterConfigs(Map.of(small, List.of(
          new AlterConfigOp(new ConfigEntry("max.message.bytes", "8192"), AlterConfigOp.OpType.SET))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(producer.send(new ProducerRecord<>("small", 0, null, new byte[4000]))
          .get(WAIT_SECONDS, TimeUnit.SECONDS).offset()).isEqualTo(1);
    }
  }

  @Test
  void aTopicsTimestampBoundsRefuseRecordsTooFarFromTheServersClock() throws Exception {
    // given a topic accepting producer timestamps from one hour before to one minute after the server's clock
    try (Admin admin = KafkaClients.admin(server);
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of("retries", 0))) {
      admin.createTopics(List.of(new NewTopic("timely", 1, (short) 1).configs(Map.of(
          "message.timestamp.before.max.ms", "3600000", "message.timestamp.after.max.ms", "60000"))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      long now = System.currentTimeMillis();

      // then a record two hours old or ten minutes ahead is refused, one a little off is stored
      for (long refused : List.of(now - 7_200_000, now + 600_000)) {
        Future<RecordMetadata> sent = producer.send(new ProducerRecord<>("timely", 0, refused, null, new byte[1]));
        assertThatThrownBy(() -> sent.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(InvalidTimestampException.class).hasMessageContaining("is out of range");
      }
      assertThat(producer.send(new ProducerRecord<>("timely", 0, now - 60_000, null, new byte[1]))
          .get(WAIT_SECONDS, TimeUnit.SECONDS).offset()).isZero();
      // and a topic without bounds takes any timestamp, as before
      assertThat(producer.send(new ProducerRecord<>(TOPIC, 0, now + 86_400_000L, null, new byte[1]))
          .get(WAIT_SECONDS, TimeUnit.SECONDS).timestamp()).isEqualTo(now + 86_400_000L);
    }
  }

  @Test
  void fetchesWithinSmallByteLimitsStillMakeProgressOneLargeRecordAtATime() throws Exception {
    // given records larger than the consumer's per-partition and per-request fetch sizes
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (int i = 0; i < 5; i++) {
        byte[] value = new byte[2_000];
        value[0] = (byte) i;
        producer.send(new ProducerRecord<>(TOPIC, 0, null, value));
      }
      producer.flush();
    }
    List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of(
        "max.partition.fetch.bytes", 500, "fetch.max.bytes", 500))) {
      TopicPartition p0 = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(p0));
      consumer.seek(p0, 0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (received.size() < 5 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(received::add);
      }
    }
    // then every record arrives, in order
    assertThat(received).extracting(r -> (int) r.value()[0]).containsExactly(0, 1, 2, 3, 4);
  }
}
