package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka transactions with the real Java producer and consumers: committed transactions appear whole, in order;
 * aborted and open ones never appear at all, whatever the consumer's isolation level, and not to native pops either;
 * a second producer with the same transactional id fences the first and aborts its open transaction.
 */
@ExtendWith(RunningServer.class)
class KafkaTransactionsTest {
  private static final long WAIT_MS = 30_000;
  private static final int PARTITIONS = 8;
  private final TestServer server;
  private final String topic = "txn-" + UUID.randomUUID();

  KafkaTransactionsTest(TestServer server) {
    this.server = server;
  }

  static KafkaProducer<byte[], byte[]> transactional(TestServer server, String transactionalId) {
    KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server,
        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId));
    producer.initTransactions();
    return producer;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Sends {@code values} (JSON, keyed by their conversation) in one transaction, committed or aborted. */
  private void transaction(KafkaProducer<byte[], byte[]> producer, boolean commit, String... values)
      throws Exception {
    producer.beginTransaction();
    List<RecordMetadata> sent = new ArrayList<>();
    for (String value : values) {
      sent.add(producer.send(record(value)).get(WAIT_MS, TimeUnit.MILLISECONDS));
    }
    // a staged record has no offset yet: the producer accepts the unknown offset
    assertThat(sent).allSatisfy(metadata -> assertThat(metadata.offset()).isEqualTo(-1));
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  private ProducerRecord<byte[], byte[]> record(String value) {
    return new ProducerRecord<>(topic, utf8("conv-" + value.charAt(0)), utf8("{\"id\":\"" + value + "\"}"));
  }

  private List<TopicPartition> partitions() {
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      all.add(new TopicPartition(topic, p));
    }
    return all;
  }

  /** Everything a consumer of {@code isolation} reads from the start, once it has {@code expected} records. */
  private List<String> readAll(String isolation, int expected) {
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server,
        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
      consumer.assign(partitions());
      consumer.seekToBeginning(partitions());
      List<String> seen = new ArrayList<>();
      long deadline = System.currentTimeMillis() + WAIT_MS;
      while (seen.size() < expected && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          seen.add(new String(record.value(), StandardCharsets.UTF_8));
        }
      }
      // the logs hold exactly the committed records: nothing else can arrive later
      long total = consumer.endOffsets(partitions()).values().stream().mapToLong(Long::longValue).sum();
      assertThat(total).isEqualTo(expected);
      return seen;
    }
  }

  private static List<String> values(String... ids) {
    List<String> values = new ArrayList<>();
    for (String id : ids) {
      values.add("{\"id\":\"" + id + "\"}");
    }
    return values;
  }

  @Test
  void committedTransactionsAppearWholeAndAbortedOrOpenOnesNever() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = transactional(server, "tx-" + UUID.randomUUID());
        KafkaProducer<byte[], byte[]> open = transactional(server, "open-" + UUID.randomUUID())) {
      // given committed, aborted and committed transactions over two conversations, and one left open
      transaction(producer, true, "a1", "b1", "a2");
      transaction(producer, false, "a3", "b2", "b3");
      transaction(producer, true, "b4", "a4");
      open.beginTransaction();
      open.send(record("a9")).get(WAIT_MS, TimeUnit.MILLISECONDS);

      // then both isolation levels read the committed records only, each conversation in order
      for (String isolation : List.of("read_committed", "read_uncommitted")) {
        List<String> seen = readAll(isolation, 5);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(values("a1", "b1", "a2", "b4", "a4"));
        assertThat(seen.stream().filter(v -> v.contains("\"a")).toList()).containsExactlyElementsOf(
            values("a1", "a2", "a4"));
        assertThat(seen.stream().filter(v -> v.contains("\"b")).toList()).containsExactlyElementsOf(
            values("b1", "b4"));
      }
      // and so does a native pop of a conversation
      assertThat(popIds("conv-a")).containsExactly("a1", "a2", "a4");
      assertThat(popIds("conv-b")).containsExactly("b1", "b4");
      open.abortTransaction();
    }
  }

  private List<String> popIds(String conversation) {
    TestServer.Reply reply = server.get("/api/v1/pop/queue/" + topic + "/partition/" + conversation + "?batch=100");
    assertThat(reply.status()).as("pop answer %s", reply.body()).isIn(200, 204);
    List<String> ids = new ArrayList<>();
    if (reply.status() == 200) {
      for (JsonNode message : reply.body().get("messages")) {
        ids.add(message.get("data").get("id").asText());
      }
    }
    return ids;
  }

  @Test
  void aNewProducerFencesTheOldOneAndAbortsItsOpenTransaction() throws Exception {
    String transactionalId = "zombie-" + UUID.randomUUID();
    try (KafkaProducer<byte[], byte[]> zombie = transactional(server, transactionalId)) {
      // given a producer with an open transaction
      zombie.beginTransaction();
      zombie.send(record("a1")).get(WAIT_MS, TimeUnit.MILLISECONDS);

      // when a new producer with the same transactional id starts, and commits a transaction of its own
      try (KafkaProducer<byte[], byte[]> successor = transactional(server, transactionalId)) {
        transaction(successor, true, "b1");

        // then the old one is fenced, and its open transaction was aborted
        assertThatThrownBy(zombie::commitTransaction).isInstanceOf(ProducerFencedException.class);
        assertThat(readAll("read_committed", 1)).containsExactlyElementsOf(values("b1"));
      }
    }
  }

  @Test
  void aConsumeTransformProduceLoopOutputsEveryInputExactlyOnceThroughAborts() throws Exception {
    // given 300 input records over the input topic's partitions
    String input = topic + "-in";
    String group = "ctp-" + UUID.randomUUID();
    int inputs = 300;
    try (KafkaProducer<byte[], byte[]> plain = KafkaClients.producer(server, Map.of())) {
      for (int i = 0; i < inputs; i++) {
        plain.send(new ProducerRecord<>(input, utf8("k" + (i % 13)), utf8("i" + i)));
      }
      plain.flush();
    }
    Random random = new Random(42);
    int aborted = 0;
    // when a read_committed group member transforms them in transactions, a third of which abort and are redone
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of(
            ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 40));
        KafkaProducer<byte[], byte[]> producer = transactional(server, "ctp-" + UUID.randomUUID())) {
      consumer.subscribe(List.of(input));
      int done = 0;
      long deadline = System.currentTimeMillis() + 2 * WAIT_MS;
      while (done < inputs) {
        assertThat(System.currentTimeMillis()).as("all inputs within the deadline, %d done", done)
            .isLessThan(deadline);
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
          producer.send(new ProducerRecord<>(topic, record.key(), utf8("o-" + new String(record.value(),
              StandardCharsets.UTF_8))));
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          next.put(partition, new OffsetAndMetadata(record.offset() + 1));
          first.putIfAbsent(partition, record.offset());
        }
        producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
        if (random.nextInt(3) == 0) {
          producer.abortTransaction();
          aborted++;
          first.forEach(consumer::seek);
        } else {
          producer.commitTransaction();
          done += records.count();
        }
      }
      assertThat(aborted).isPositive();
    }

    // then the output holds each input exactly once
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < inputs; i++) {
      expected.add("o-i" + i);
    }
    assertThat(readAll("read_committed", inputs)).containsExactlyInAnyOrderElementsOf(expected);
    // and the group's committed offsets are the ends of the input logs
    try (Admin admin = KafkaClients.admin(server);
        KafkaConsumer<byte[], byte[]> reader = KafkaClients.consumer(server)) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(WAIT_MS, TimeUnit.MILLISECONDS);
      List<TopicPartition> logs = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        logs.add(new TopicPartition(input, p));
      }
      Map<TopicPartition, Long> ends = reader.endOffsets(logs);
      ends.forEach((partition, end) -> {
        if (end > 0) {
          assertThat(committed.get(partition).offset()).as("committed offset of %s", partition).isEqualTo(end);
        }
      });
    }
  }

  @Test
  void adminDescribesListsAndShowsProducersOfTransactions() throws Exception {
    String transactionalId = "admin-" + UUID.randomUUID();
    try (KafkaProducer<byte[], byte[]> producer = transactional(server, transactionalId);
        Admin admin = KafkaClients.admin(server)) {
      // given an open transaction with a record in one partition
      producer.beginTransaction();
      RecordMetadata sent = producer.send(record("a1")).get(WAIT_MS, TimeUnit.MILLISECONDS);
      TopicPartition partition = new TopicPartition(topic, sent.partition());

      // then it is described and listed as ongoing, over that partition
      TransactionDescription open = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
          .get(WAIT_MS, TimeUnit.MILLISECONDS);
      assertThat(open.state()).isEqualTo(TransactionState.ONGOING);
      assertThat(open.topicPartitions()).containsExactly(partition);
      assertThat(open.transactionStartTimeMs()).isPresent();
      assertThat(admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
          .all().get(WAIT_MS, TimeUnit.MILLISECONDS))
          .anySatisfy(listing -> assertThat(listing.transactionalId()).isEqualTo(transactionalId));
      // and its producer is active in the partition
      PartitionProducerState producers = admin.describeProducers(List.of(partition)).partitionResult(partition)
          .get(WAIT_MS, TimeUnit.MILLISECONDS);
      assertThat(producers.activeProducers()).anySatisfy(state -> {
        assertThat(state.producerId()).isEqualTo(open.producerId());
        assertThat(state.lastSequence()).isZero();
      });

      // when it commits, it is described as committed, with no partitions left
      producer.commitTransaction();
      TransactionDescription committed = admin.describeTransactions(List.of(transactionalId))
          .description(transactionalId).get(WAIT_MS, TimeUnit.MILLISECONDS);
      assertThat(committed.state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
      assertThat(committed.topicPartitions()).isEmpty();
      assertThat(admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
          .all().get(WAIT_MS, TimeUnit.MILLISECONDS))
          .noneSatisfy(listing -> assertThat(listing.transactionalId()).isEqualTo(transactionalId));
      // and an unknown transactional id is reported as such
      assertThatThrownBy(() -> admin.describeTransactions(List.of("nobody-" + UUID.randomUUID())).all()
          .get(WAIT_MS, TimeUnit.MILLISECONDS)).hasCauseInstanceOf(TransactionalIdNotFoundException.class);
    }
  }
}
