package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A server killed with kill -9 while transactions are open and one is committing: after the restart no half of any
 * transaction is visible; the committed one is whole, the open ones are aborted by their timeout, and the one caught
 * committing is either whole or absent.
 */
class KafkaTransactionCrashTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Map<String, String> SETTINGS =
      Map.of("QUEEN_KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS", "200");
  private static final int RECORDS = 100;
  private static final int COMMITTING = 3_000;
  private final String topic = "crash-" + UUID.randomUUID();
  private final String committed = "committed-" + UUID.randomUUID();
  private final String open = "open-" + UUID.randomUUID();
  private final String committing = "committing-" + UUID.randomUUID();

  @Test
  void afterKillMinus9NoHalfOfAnyTransactionIsVisible() throws Exception {
    Path dataDir = TestServer.freshDataDir();
    try (ServerProcess server = ServerProcess.start(dataDir, SETTINGS)) {
      int port = server.awaitListening(WAIT).kafka();
      KafkaProducer<byte[], byte[]> done = producer(port, committed);
      KafkaProducer<byte[], byte[]> left = producer(port, open);
      KafkaProducer<byte[], byte[]> caught = producer(port, committing);
      try {
        // given a committed transaction, an open one, and one killed while it commits
        send(done, "c", RECORDS);
        done.commitTransaction();
        send(left, "o", RECORDS);
        send(caught, "m", COMMITTING);
        CompletableFuture<Void> commit = CompletableFuture.runAsync(caught::commitTransaction);
        server.kill(false);
        commit.handle((ok, failure) -> null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        for (KafkaProducer<byte[], byte[]> producer : List.of(done, left, caught)) {
          producer.close(Duration.ZERO);
        }
      }
    }

    try (ServerProcess again = ServerProcess.start(dataDir, SETTINGS)) {
      int port = again.awaitListening(WAIT).kafka();
      try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port))) {
        // then the open transactions end by their timeout
        Set<TransactionState> ended = Set.of(TransactionState.COMPLETE_COMMIT, TransactionState.COMPLETE_ABORT);
        Eventually.until(WAIT, () -> ended.contains(state(admin, open)) && ended.contains(state(admin, committing)),
            () -> "states " + state(admin, open) + ", " + state(admin, committing));
        assertThat(state(admin, open)).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(state(admin, committed)).isEqualTo(TransactionState.COMPLETE_COMMIT);
      }
      // and the log holds the committed transaction whole, and the one caught committing whole or not at all
      Map<Character, Integer> counts = readAll(port);
      assertThat(counts.getOrDefault('c', 0)).isEqualTo(RECORDS);
      assertThat(counts.getOrDefault('o', 0)).isZero();
      assertThat(counts.getOrDefault('m', 0)).isIn(0, COMMITTING);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(int port, String transactionalId) {
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 3_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000), new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
    return producer;
  }

  private void send(KafkaProducer<byte[], byte[]> producer, String prefix, int count) {
    producer.beginTransaction();
    for (int i = 0; i < count; i++) {
      producer.send(new ProducerRecord<>(topic, ("k" + i % 7).getBytes(StandardCharsets.UTF_8),
          (prefix + i).getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }

  private static TransactionState state(Admin admin, String transactionalId) {
    try {
      return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
          .get(30, TimeUnit.SECONDS).state();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** How many records of each prefix the topic's logs hold. */
  private Map<Character, Integer> readAll(int port) {
    Map<String, Object> config = new HashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        "localhost:" + port));
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long total = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      Map<Character, Integer> counts = new HashMap<>();
      long deadline = System.currentTimeMillis() + WAIT.toMillis();
      int seen = 0;
      while (seen < total && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          counts.merge((char) record.value()[0], 1, Integer::sum);
          seen++;
        }
      }
      assertThat(seen).as("records read of %d", total).isEqualTo((int) total);
      return counts;
    }
  }
}
