package dev.queenj.compat;

import static dev.queenj.compat.Clients.DEADLINE_MS;
import static dev.queenj.compat.Clients.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.junit.jupiter.api.Test;

/**
 * MirrorMaker 2 moves a live topic from a real Apache Kafka broker into Queen-J, as the migration guide describes:
 * dedicated mode ({@link MirrorMaker}, what {@code connect-mirror-maker.sh} runs) with the configuration the guide
 * shows, the topic keeping its name ({@code IdentityReplicationPolicy}) and the consumer group's committed offsets
 * translated onto Queen-J, so that the group's consumers move over and carry on where they stopped.
 */
class MirrorMaker2Test {
  private static final int PARTITIONS = 2;
  private static final int BEFORE = 200;
  private static final int CONSUMED_BEFORE = 120;
  private static final int WHILE_MIRRORING = 100;
  private static final int AFTER_CUTOVER = 100;
  private static final Path GUIDE = Path.of(System.getProperty("basedir", "."))
      .resolve("../migration-guide/README.md").normalize();
  private static final String GUIDE_SECTION = "### Move a topic from a live Kafka cluster with MirrorMaker 2";
  private final QueenProcess queen = QueenProcess.shared();

  @Test
  void aLiveTopicAndItsGroupOffsetsMoveFromKafkaToQueen() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start()) {
      // given a topic on Kafka and a consumer group that has consumed and committed part of it
      String topic = unique("orders");
      String group = unique("billing");
      try (Admin admin = admin(kafka.bootstrap())) {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
      }
      produce(kafka.bootstrap(), topic, 0, BEFORE);
      Map<TopicPartition, Long> committedBefore = consume(kafka.bootstrap(), topic, group, CONSUMED_BEFORE);
      long consumedBefore = committedBefore.values().stream().mapToLong(Long::longValue).sum();
      assertThat(consumedBefore).isBetween((long) CONSUMED_BEFORE, BEFORE - 1L);

      MirrorMaker mirrorMaker = new MirrorMaker(mirrorMakerConfig(kafka.bootstrap(), topic, group),
          List.of("queen"), Time.SYSTEM);
      Map<TopicPartition, Long> committedOnKafka;
      // (closed in reverse order: MirrorMaker 2 stops, then its exit is given back)
      try (ExitTrap exitTrap = ExitTrap.install("MirrorMaker 2"); AutoCloseable stop = mirrorMaker::stop) {
        // when MirrorMaker 2 runs from Kafka to Queen-J while producers and the group carry on on Kafka
        mirrorMaker.start();
        produce(kafka.bootstrap(), topic, BEFORE, WHILE_MIRRORING);
        // and the group is moved: it stops on Kafka once it has caught up (its last commit is translated exactly;
        // stopped earlier, its translated offset may be a little behind: records read again, never skipped)
        committedOnKafka = consume(kafka.bootstrap(), topic, group,
            BEFORE + WHILE_MIRRORING - Math.toIntExact(consumedBefore));
        Await.until("the group's offsets " + committedOnKafka + " are translated onto Queen-J", DEADLINE_MS,
            () -> groupOffsets(queen.bootstrap(), group).equals(committedOnKafka),
            () -> "translated: " + groupOffsets(queen.bootstrap(), group));
        // and producers write to Kafka until they are moved too
        produce(kafka.bootstrap(), topic, BEFORE + WHILE_MIRRORING, AFTER_CUTOVER);
        Await.until("every record is on Queen-J", DEADLINE_MS,
            () -> endOffsets(queen.bootstrap(), topic) == BEFORE + WHILE_MIRRORING + AFTER_CUTOVER);
      }

      // then Queen-J holds every record, in its partition, in Kafka's order, at Kafka's offsets
      Map<TopicPartition, List<String>> onKafka = readAll(kafka.bootstrap(), topic);
      assertThat(readAll(queen.bootstrap(), topic)).isEqualTo(onKafka);
      // and MirrorMaker 2 created no topic in the old cluster: its state is all in Queen-J
      try (Admin admin = admin(kafka.bootstrap())) {
        assertThat(admin.listTopics().names().get()).containsExactly(topic);
      }
      // and a member of the group on Queen-J carries on where the group stopped on Kafka: it reads exactly the
      // records the group had not consumed there
      Map<TopicPartition, List<String>> continued = consumeOnQueen(topic, group, AFTER_CUTOVER);
      for (TopicPartition partition : onKafka.keySet()) {
        List<String> all = onKafka.get(partition);
        assertThat(continued.getOrDefault(partition, List.of())).as("read on Queen-J from %s", partition)
            .isEqualTo(all.subList(Math.toIntExact(committedOnKafka.getOrDefault(partition, 0L)), all.size()));
      }
    }
  }

  /**
   * The configuration the migration guide shows, read from the guide itself (the first {@code properties} block of its
   * MirrorMaker 2 section), with this test's addresses, topic and group in place of the guide's.
   */
  private Map<String, String> mirrorMakerConfig(String kafkaBootstrap, String topic, String group) throws IOException {
    String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
    int section = guide.indexOf(GUIDE_SECTION);
    assertThat(section).as("the guide has the section %s", GUIDE_SECTION).isNotNegative();
    int start = guide.indexOf("```properties\n", section) + "```properties\n".length();
    Properties properties = new Properties();
    properties.load(new StringReader(guide.substring(start, guide.indexOf("```", start))));
    Map<String, String> config = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
    Map<String, String> ours = Map.of("kafka.bootstrap.servers", kafkaBootstrap,
        "queen.bootstrap.servers", queen.bootstrap(), "kafka->queen.topics", topic, "kafka->queen.groups", group);
    assertThat(config).containsKeys(ours.keySet().toArray(String[]::new));
    config.putAll(ours);
    return config;
  }

  private static void produce(String bootstrap, String topic, int from, int count) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
        new StringSerializer())) {
      for (int i = from; i < from + count; i++) {
        producer.send(new ProducerRecord<>(topic, "key-" + i, "order-" + i)).get();
      }
    }
  }

  /**
   * A member of {@code group} consumes {@code count} records, commits after each poll and leaves; returns the offsets
   * the group has committed (the next offset to read, per partition).
   */
  private static Map<TopicPartition, Long> consume(String bootstrap, String topic, String group, int count) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap, group)) {
      consumer.subscribe(List.of(topic));
      Clients.pollUntil(consumer, count).forEach(record -> assertThat(record.topic()).isEqualTo(topic));
      consumer.commitSync();
      Map<TopicPartition, Long> committed = new HashMap<>();
      consumer.committed(consumer.assignment()).forEach((partition, offset) -> {
        if (offset != null) {
          committed.put(partition, offset.offset());
        }
      });
      return committed;
    }
  }

  private Map<TopicPartition, List<String>> consumeOnQueen(String topic, String group, int count) {
    try (KafkaConsumer<String, String> consumer = consumer(queen.bootstrap(), group)) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> records = Clients.pollUntil(consumer, count);
      // nothing more arrives: the group does not read again what it had consumed on Kafka
      assertThat(consumer.poll(Duration.ofSeconds(1))).isEmpty();
      return records.stream().collect(Collectors.groupingBy(
          record -> new TopicPartition(record.topic(), record.partition()),
          Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
    }
  }

  private static Map<TopicPartition, List<String>> readAll(String bootstrap, String topic) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap, null)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      int total = Math.toIntExact(ends.values().stream().mapToLong(Long::longValue).sum());
      Map<TopicPartition, List<String>> values = new HashMap<>();
      partitions.forEach(partition -> values.put(partition, new ArrayList<>()));
      for (ConsumerRecord<String, String> record : Clients.pollUntil(consumer, total)) {
        values.get(new TopicPartition(record.topic(), record.partition())).add(record.value());
      }
      return values;
    }
  }

  private static long endOffsets(String bootstrap, String topic) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrap, null)) {
      var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (partitions == null || partitions.isEmpty()) {
        return -1;
      }
      return consumer.endOffsets(partitions.stream().map(info -> new TopicPartition(topic, info.partition()))
          .toList()).values().stream().mapToLong(Long::longValue).sum();
    } catch (org.apache.kafka.common.KafkaException notYet) {
      return -1;
    }
  }

  private static Map<TopicPartition, Long> groupOffsets(String bootstrap, String group) {
    try (Admin admin = admin(bootstrap)) {
      Map<TopicPartition, Long> offsets = new HashMap<>();
      admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((partition, offset) -> {
        if (offset != null) {
          offsets.put(partition, offset.offset());
        }
      });
      return offsets;
    } catch (Exception notYet) {
      return Map.of();
    }
  }

  private static Admin admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(props);
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap, String group) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10);
    if (group != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
  }
}
