package dev.queenj.compat;

import static dev.queenj.compat.Clients.POLL;
import static dev.queenj.compat.Clients.pollUntil;
import static dev.queenj.compat.Clients.unique;
import static dev.queenj.compat.Clients.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a Kafka client application does, written once against the kafka-clients API that 3.x and 4.x share and run
 * once per client version by a subclass (each in the surefire execution whose classpath holds that version), against
 * one server process per test JVM.
 */
abstract class ClientCompatSuite {
  protected final QueenProcess server = QueenProcess.shared();

  /** The kafka-clients version this subclass's execution must have loaded. */
  protected abstract String expectedClientVersion();

  @Test
  void theExecutionLoadsTheClientVersionItTests() {
    assertThat(AppInfoParser.getVersion()).isEqualTo(expectedClientVersion());
    assertThat(AppInfoParser.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .endsWith("kafka-clients-" + expectedClientVersion() + ".jar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
  void idempotentProducerRoundTripsEveryCompressionCodecByteExact(String codec) throws Exception {
    // given
    String topic = unique("codec-" + codec);
    Clients.createTopic(server, topic, 3);
    List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    Map<ProducerRecord<byte[], byte[]>, RecordMetadata> acked = new HashMap<>();
    // when: compressible values in batches of many records, keys spreading them over the partitions
    try (KafkaProducer<byte[], byte[]> producer = Clients.bytesProducer(server, Map.of(
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.COMPRESSION_TYPE_CONFIG, codec))) {
      List<Future<RecordMetadata>> futures = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, 1_700_000_000_000L + i,
            bytes("key-" + (i % 17)), bytes(("value " + i + " ").repeat(1 + i % 7)),
            List.of(new RecordHeader("h", bytes("header-" + i))));
        sent.add(record);
        futures.add(producer.send(record));
      }
      for (int i = 0; i < sent.size(); i++) {
        acked.put(sent.get(i), futures.get(i).get());
      }
    }
    // then: every record reads back at its acked offset with its key, value, header and timestamp
    try (KafkaConsumer<byte[], byte[]> consumer = Clients.bytesConsumer(server)) {
      List<TopicPartition> partitions = IntStream.range(0, 3).mapToObj(p -> new TopicPartition(topic, p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<String, ConsumerRecord<byte[], byte[]>> read = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record : pollUntil(consumer, sent.size())) {
        assertThat(read.put(record.partition() + "@" + record.offset(), record)).as("read once").isNull();
      }
      for (ProducerRecord<byte[], byte[]> record : sent) {
        RecordMetadata metadata = acked.get(record);
        ConsumerRecord<byte[], byte[]> got = read.get(metadata.partition() + "@" + metadata.offset());
        assertThat(got).as("record acked at %s", metadata).isNotNull();
        assertThat(got.key()).isEqualTo(record.key());
        assertThat(got.value()).isEqualTo(record.value());
        assertThat(got.timestamp()).isEqualTo(record.timestamp());
        assertThat(got.headers().lastHeader("h").value()).isEqualTo(record.headers().lastHeader("h").value());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "all"})
  void everyAcksSettingDeliversEachRecordOnceInOrder(String acks) throws Exception {
    String topic = unique("acks");
    Clients.createTopic(server, topic, 1);
    try (KafkaProducer<String, String> producer = Clients.producer(server, Map.of(ProducerConfig.ACKS_CONFIG, acks,
        // idempotence needs acks=all; for the weaker settings the client must be told so or it refuses to start
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all")))) {
      for (int i = 0; i < 100; i++) {
        producer.send(new ProducerRecord<>(topic, "k", "v" + i));
      }
      producer.flush();
    }
    try (KafkaConsumer<String, String> consumer = Clients.consumer(server, null, Map.of())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<ConsumerRecord<String, String>> records = pollUntil(consumer, 100);
      assertThat(records).extracting(ConsumerRecord::value)
          .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "v" + i).toList());
      assertThat(records).extracting(ConsumerRecord::offset)
          .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> (long) i).toList());
    }
  }

  @Test
  void assignSeekAndOffsetLookups() throws Exception {
    // given ten records in one partition, one second apart
    String topic = unique("seek");
    Clients.createTopic(server, topic, 2);
    TopicPartition partition = new TopicPartition(topic, 1);
    long base = 1_700_000_000_000L;
    try (KafkaProducer<String, String> producer = Clients.producer(server, Map.of())) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, 1, base + i * 1000L, "k", "v" + i));
      }
      producer.flush();
    }
    try (KafkaConsumer<String, String> consumer = Clients.consumer(server, null, Map.of())) {
      consumer.assign(List.of(partition));
      // then: the log bounds, a seek into the middle, a seek by time, and the end
      assertThat(consumer.beginningOffsets(List.of(partition))).containsEntry(partition, 0L);
      assertThat(consumer.endOffsets(List.of(partition))).containsEntry(partition, 10L);
      consumer.seek(partition, 6);
      assertThat(pollUntil(consumer, 4)).extracting(ConsumerRecord::value).containsExactly("v6", "v7", "v8", "v9");
      Map<TopicPartition, OffsetAndTimestamp> byTime =
          consumer.offsetsForTimes(Map.of(partition, base + 3500L));
      assertThat(byTime.get(partition).offset()).isEqualTo(4L);
      assertThat(byTime.get(partition).timestamp()).isEqualTo(base + 4000L);
      assertThat(consumer.offsetsForTimes(Map.of(partition, base + 60_000L)).get(partition)).isNull();
      consumer.seek(partition, byTime.get(partition).offset());
      assertThat(pollUntil(consumer, 1).get(0).value()).isEqualTo("v4");
      consumer.seekToEnd(List.of(partition));
      assertThat(consumer.position(partition)).isEqualTo(10L);
      consumer.seekToBeginning(List.of(partition));
      assertThat(consumer.position(partition)).isEqualTo(0L);
    }
  }

  @Test
  void aGroupOfThreeSharesPartitionsRebalancesCommitsAndResumesAfterAConsumerRestart() throws Exception {
    String topic = unique("group");
    String group = unique("g");
    Clients.createTopic(server, topic, 6);
    try (KafkaProducer<String, String> producer = Clients.producer(server, Map.of())) {
      Map<String, Integer> seen = new HashMap<>();
      List<KafkaConsumer<String, String>> members = new ArrayList<>();
      try {
        // given one member that takes every partition, then two more that join
        members.add(Clients.consumer(server, group, Map.of()));
        members.get(0).subscribe(List.of(topic));
        send(producer, topic, "a", 60);
        pollAndCommit(members, seen, () -> seen.size() == 60);
        for (int i = 0; i < 2; i++) {
          KafkaConsumer<String, String> member = Clients.consumer(server, group, Map.of());
          member.subscribe(List.of(topic));
          members.add(member);
        }
        // when the group has rebalanced over three members
        pollAndCommit(members, seen, () -> members.stream().allMatch(m -> m.assignment().size() == 2));
        assertThat(members.stream().flatMap(m -> m.assignment().stream()).collect(Collectors.toSet())).hasSize(6);
        send(producer, topic, "b", 60);
        pollAndCommit(members, seen, () -> seen.size() == 120);
        // and one member leaves
        members.remove(2).close();
        pollAndCommit(members, seen, () -> members.stream().allMatch(m -> m.assignment().size() == 3));
        send(producer, topic, "c", 60);
        pollAndCommit(members, seen, () -> seen.size() == 180);
      } finally {
        members.forEach(KafkaConsumer::close);
      }
      // then nothing was read twice
      assertThat(seen.values()).allMatch(count -> count == 1);
      // and a restarted consumer of the group resumes from what was committed
      send(producer, topic, "d", 30);
      try (KafkaConsumer<String, String> restarted = Clients.consumer(server, group, Map.of())) {
        restarted.subscribe(List.of(topic));
        assertThat(pollUntil(restarted, 30)).extracting(ConsumerRecord::value).allMatch(v -> v.startsWith("d"));
        assertThat(restarted.poll(POLL)).isEmpty();
      }
    }
  }

  @Test
  void producersAndGroupsCarryOnAcrossAServerRestart() throws Exception {
    String topic = unique("restart");
    String group = unique("g");
    Clients.createTopic(server, topic, 2);
    try (KafkaProducer<String, String> producer = Clients.producer(server, Map.of(
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"))) {
      // given a group that consumed and committed the first half
      send(producer, topic, "before", 20);
      try (KafkaConsumer<String, String> consumer = Clients.consumer(server, group,
          Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1))) {
        consumer.subscribe(List.of(topic));
        for (ConsumerRecord<String, String> record : pollUntil(consumer, 10)) {
          consumer.commitSync(Map.of(new TopicPartition(topic, record.partition()),
              new OffsetAndMetadata(record.offset() + 1)));
        }
      }
      // when the server restarts, and the same idempotent producer sends more
      server.restart();
      send(producer, topic, "after", 20);
      // then a consumer of the group reads exactly what was not committed
      try (KafkaConsumer<String, String> consumer = Clients.consumer(server, group, Map.of())) {
        consumer.subscribe(List.of(topic));
        List<ConsumerRecord<String, String>> rest = pollUntil(consumer, 30);
        assertThat(rest.stream().filter(r -> r.value().startsWith("before"))).hasSize(10);
        assertThat(rest.stream().filter(r -> r.value().startsWith("after"))).hasSize(20);
        assertThat(consumer.poll(POLL)).isEmpty();
      }
    }
  }

  @Test
  void adminManagesTopicsConfigsPartitionsGroupsAndOffsets() throws Exception {
    String topic = unique("admin");
    String group = unique("g");
    try (Admin admin = Clients.admin(server)) {
      // cluster
      DescribeClusterResult cluster = admin.describeCluster();
      assertThat(cluster.clusterId().get()).isNotBlank();
      assertThat(cluster.nodes().get()).hasSize(1);
      assertThat(cluster.controller().get()).isNotNull();
      // topics and configs
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1).configs(Map.of("retention.ms", "3600000"))))
          .all().get();
      assertThat(admin.listTopics().names().get()).contains(topic);
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      assertThat(description.partitions()).hasSize(2);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value())
          .isEqualTo("3600000");
      admin.incrementalAlterConfigs(Map.of(resource, List.of(
          new AlterConfigOp(new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET)))).all().get();
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get("retention.ms").value()).isEqualTo("7200000");
      assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER,
          String.valueOf(cluster.nodes().get().iterator().next().id()));
      assertThat(admin.describeConfigs(List.of(broker)).all().get().get(broker).entries()).isNotEmpty();
      // partitions
      admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(4))).all().get();
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(4);
      // groups and their offsets
      try (KafkaProducer<String, String> producer = Clients.producer(server, Map.of())) {
        send(producer, topic, "v", 8);
      }
      try (KafkaConsumer<String, String> consumer = Clients.consumer(server, group, Map.of())) {
        consumer.subscribe(List.of(topic));
        pollUntil(consumer, 8);
        consumer.commitSync();
        Collection<ConsumerGroupListing> listed = admin.listConsumerGroups().all().get();
        assertThat(listed).extracting(ConsumerGroupListing::groupId).contains(group);
        ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        assertThat(described.members()).hasSize(1);
        assertThat(described.members().iterator().next().assignment().topicPartitions()).hasSize(4);
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(8L);
      TopicPartition first = new TopicPartition(topic, 0);
      admin.alterConsumerGroupOffsets(group, Map.of(first, new OffsetAndMetadata(0, "rewound"))).all().get();
      OffsetAndMetadata rewound =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(first);
      assertThat(rewound.offset()).isZero();
      assertThat(rewound.metadata()).isEqualTo("rewound");
      admin.deleteConsumerGroups(List.of(group)).all().get();
      assertThat(admin.listConsumerGroups().all().get()).extracting(ConsumerGroupListing::groupId)
          .doesNotContain(group);
      // topic deletion
      admin.deleteTopics(List.of(topic)).all().get();
      assertThat(admin.listTopics().names().get()).doesNotContain(topic);
    }
  }

  @Test
  void transactionsCommitWholeAbortWithoutTraceAndCommitTheGroupsOffsets() throws Exception {
    String input = unique("txn-in");
    String output = unique("txn-out");
    String group = unique("txn-group");
    Clients.createTopic(server, input, 2);
    Clients.createTopic(server, output, 2);
    try (KafkaProducer<String, String> plain = Clients.producer(server, Map.of())) {
      send(plain, input, "in", 20);
    }
    try (KafkaConsumer<String, String> consumer = Clients.consumer(server, group,
            Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        KafkaProducer<String, String> producer = Clients.producer(server,
            Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique("txn")))) {
      producer.initTransactions();
      consumer.subscribe(List.of(input));
      List<ConsumerRecord<String, String>> records = pollUntil(consumer, 20);
      // an aborted attempt leaves no trace
      producer.beginTransaction();
      records.forEach(record -> producer.send(new ProducerRecord<>(output, record.key(), "aborted-" + record.value())));
      producer.abortTransaction();
      // the committed one writes each output once, with the input offsets
      producer.beginTransaction();
      Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
      for (ConsumerRecord<String, String> record : records) {
        producer.send(new ProducerRecord<>(output, record.key(), "out-" + record.value()));
        next.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
      }
      producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
      producer.commitTransaction();
    }
    try (KafkaConsumer<String, String> reader = Clients.consumer(server, null,
        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
      List<TopicPartition> logs = List.of(new TopicPartition(output, 0), new TopicPartition(output, 1));
      reader.assign(logs);
      reader.seekToBeginning(logs);
      assertThat(pollUntil(reader, 20)).allSatisfy(record -> assertThat(record.value()).startsWith("out-in-"));
      assertThat(reader.endOffsets(logs).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
    }
    try (Admin admin = Clients.admin(server)) {
      assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
          .mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(20);
    }
  }

  private static void send(KafkaProducer<String, String> producer, String topic, String prefix, int count)
      throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      acks.add(producer.send(new ProducerRecord<>(topic, prefix + "-key-" + i, prefix + "-" + i)));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get();
    }
  }

  /**
   * Polls every member in turn, as a thread per member would (a classic-group rebalance completes only once every
   * member polls), committing what each poll returned before that member polls again, until {@code done}.
   */
  private static void pollAndCommit(List<KafkaConsumer<String, String>> members, Map<String, Integer> seen,
      BooleanSupplier done) {
    until("the group to get there; read " + seen.size(), done, () -> {
      for (KafkaConsumer<String, String> member : members) {
        for (ConsumerRecord<String, String> record : member.poll(POLL)) {
          seen.merge(record.value(), 1, Integer::sum);
        }
        member.commitSync();
      }
    });
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
