package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.testing.Eventually;
import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.server.ServerCluster;
import dev.queenj.server.ServerCluster.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three instances on one Postgres, as Kafka clients see them: every instance lists all three as brokers and spreads
 * partition leadership over them, and a consumer group whose members are connected through different instances is
 * one group with one coordinator. (Killing an instance: {@link KafkaClusterFailoverTest}.)
 */
class KafkaClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static ServerCluster cluster;

  @BeforeAll
  static void start() {
    cluster = ServerCluster.inProcess(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
  }

  /**
   * Creates {@code topic} through the cluster and waits until every instance is listed as a broker, so that a client
   * spreads its requests over all of them from its first Metadata on.
   */
  static void createTopicSeenByEveryInstance(ServerCluster cluster, String topic, int partitions) throws Exception {
    try (Admin admin = admin(cluster.bootstrap())) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(10, TimeUnit.SECONDS);
      Eventually.until(Duration.ofSeconds(20), () -> {
        try {
          return brokers(admin).size() == cluster.size();
        } catch (Exception e) {
          return false;
        }
      }, () -> cluster.size() + " brokers");
    }
  }

  /** The brokers {@code admin} is told about, as node id → port. */
  static Map<Integer, Integer> brokers(Admin admin) throws Exception {
    return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
        .collect(Collectors.toMap(Node::id, Node::port));
  }

  @Test
  void everyInstanceListsEveryInstanceAsABrokerAndLeadershipIsSpreadOverThem() throws Exception {
    Set<Integer> ports = cluster.members().stream().map(Member::kafkaPort).collect(Collectors.toSet());
    Map<Integer, Integer> seen = new HashMap<>();
    for (Member member : cluster.members()) {
      try (Admin admin = admin(member.kafkaAddress())) {
        // an instance learns of the others at its next heartbeat
        Eventually.until(WAIT, () -> {
          try {
            seen.clear();
            seen.putAll(brokers(admin));
            return Set.copyOf(seen.values()).equals(ports);
          } catch (Exception e) {
            return false;
          }
        }, () -> member.instanceId() + " lists " + seen + ", expected the ports " + ports);
        assertThat(seen).hasSize(3);
      }
    }
    String topic = "spread-" + UUID.randomUUID();
    try (Admin admin = admin(cluster.member(0).kafkaAddress())) {
      admin.createTopics(List.of(new NewTopic(topic, 12, (short) 1))).all().get(10, TimeUnit.SECONDS);
      for (Member member : cluster.members()) {
        try (Admin other = admin(member.kafkaAddress())) {
          TopicDescription described = other.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
              .get(topic);
          Map<Integer, Long> led = described.partitions().stream()
              .collect(Collectors.groupingBy(partition -> partition.leader().id(), Collectors.counting()));
          // the same leaders from every instance, four partitions each
          assertThat(led).as("partitions led per node, as %s sees them", member.instanceId())
              .containsOnlyKeys(brokers(other).keySet()).allSatisfy((node, count) -> assertThat(count).isEqualTo(4));
          assertThat(described.partitions()).allSatisfy(partition -> assertThat(partition.replicas())
              .containsExactly(partition.leader()));
        }
      }
    }
    // Metadata itself: every instance names the same leader, with the same leader epoch, for every partition (the
    // epoch is the membership's: an instance may read a change a heartbeat after another)
    Set<String> answers = new HashSet<>();
    Eventually.until(WAIT, () -> {
      answers.clear();
      for (Member member : cluster.members()) {
        try (KafkaConnection connection = KafkaConnection.open(member.kafkaPort())) {
          MetadataResponse response = connection.roundTrip(
              new MetadataRequest.Builder(List.of(topic), false).build((short) 12));
          answers.add(response.topicMetadata().iterator().next().partitionMetadata().stream()
              .map(partition -> partition.partition() + "@" + partition.leaderId.orElseThrow() + "/"
                  + partition.leaderEpoch.orElseThrow())
              .sorted().collect(Collectors.joining(",")));
        }
      }
      return answers.size() == 1;
    }, () -> "the instances disagree: " + answers);
  }

  @Test
  void threeConsumersConnectedThroughThreeInstancesAreOneGroupAndReadEveryRecordOnce() throws Exception {
    String topic = "orders-" + UUID.randomUUID();
    String group = "billing-" + UUID.randomUUID();
    try (Admin admin = admin(cluster.bootstrap())) {
      admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(10, TimeUnit.SECONDS);
    }
    List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
    try {
      for (Member member : cluster.members()) {
        KafkaConsumer<byte[], byte[]> consumer = consumer(member.kafkaAddress(), group);
        consumer.subscribe(List.of(topic));
        consumers.add(consumer);
      }
      Map<Integer, List<String>> received = new HashMap<>();
      // one generation with all three: each holds two of the six partitions, none twice
      Eventually.until(WAIT, () -> {
        pollAll(consumers, received);
        List<TopicPartition> assigned = consumers.stream().flatMap(c -> c.assignment().stream()).toList();
        return consumers.stream().allMatch(c -> c.assignment().size() == 2) && Set.copyOf(assigned).size() == 6;
      }, () -> "assignments: " + consumers.stream().map(KafkaConsumer::assignment).toList());

      try (KafkaProducer<byte[], byte[]> producer = producer(cluster.bootstrap())) {
        for (int i = 0; i < 1_000; i++) {
          producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(), ("v" + i).getBytes()));
        }
        producer.flush();
      }
      Eventually.until(WAIT, () -> {
        pollAll(consumers, received);
        return received.values().stream().mapToInt(List::size).sum() >= 1_000;
      }, () -> "received " + received.values().stream().mapToInt(List::size).sum() + " of 1000");
      pollAll(consumers, received); // one more round: a duplicate would show here

      List<String> all = received.values().stream().flatMap(List::stream).toList();
      assertThat(all).hasSize(1_000).doesNotHaveDuplicates();
      assertThat(new TreeSet<>(all)).hasSize(1_000);
      // every consumer took part, through its own instance
      assertThat(received).hasSize(3).allSatisfy((consumer, values) -> assertThat(values).isNotEmpty());
      try (Admin admin = admin(cluster.member(1).kafkaAddress())) {
        assertThat(admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group)
            .members()).hasSize(3);
      }
    } finally {
      consumers.forEach(KafkaConsumer::close);
    }
  }

  @Test
  void aProduceToAnInstanceThatDoesNotLeadThePartitionIsServedAndReadEverywhere() throws Exception {
    String topic = "anywhere-" + UUID.randomUUID();
    Member notLeader;
    try (Admin admin = admin(cluster.bootstrap())) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(10, TimeUnit.SECONDS);
      int leaderPort = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
          .partitions().get(0).leader().port();
      notLeader = cluster.members().stream().filter(member -> member.kafkaPort() != leaderPort).findFirst()
          .orElseThrow();
    }
    // a client with stale metadata: partition 0's Produce reaches an instance that does not lead it
    try (KafkaConnection connection = KafkaConnection.open(notLeader.kafkaPort())) {
      TopicProduceData data = new TopicProduceData().setName(topic);
      data.partitionData().add(new PartitionProduceData().setIndex(0)
          .setRecords(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("here".getBytes()))));
      TopicProduceDataCollection topics = new TopicProduceDataCollection();
      topics.add(data);
      ProduceResponse response = connection.roundTrip(ProduceRequest.builder(new ProduceRequestData()
          .setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics)).build((short) 9));
      assertThat(Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0)
          .errorCode())).isEqualTo(Errors.NONE);
    }
    for (Member member : cluster.members()) {
      assertThat(readPartitionZero(member.kafkaAddress(), topic, Map.of())).as("read through " + member.instanceId())
          .containsExactly("here");
    }
  }

  @Test
  void aTransactionalProducerStartedOnAnotherInstanceFencesTheFirst() throws Exception {
    String topic = "fenced-" + UUID.randomUUID();
    String transactionalId = "tx-" + UUID.randomUUID();
    try (Admin admin = admin(cluster.bootstrap())) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
    }
    try (KafkaProducer<byte[], byte[]> first = transactional(cluster.member(0).kafkaAddress(), transactionalId);
        KafkaProducer<byte[], byte[]> second = transactional(cluster.member(1).kafkaAddress(), transactionalId)) {
      first.initTransactions();
      first.beginTransaction();
      first.send(new ProducerRecord<>(topic, "first".getBytes())).get(10, TimeUnit.SECONDS);
      // the same transactional.id through another instance: a new epoch, the first producer's transaction aborted
      second.initTransactions();
      second.beginTransaction();
      second.send(new ProducerRecord<>(topic, "second".getBytes())).get(10, TimeUnit.SECONDS);
      second.commitTransaction();
      assertThatThrownBy(first::commitTransaction).isInstanceOf(ProducerFencedException.class);
    }
    assertThat(readPartitionZero(cluster.member(2).kafkaAddress(), topic,
        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))).containsExactly("second");
  }

  /** What a consumer through {@code bootstrap} reads from partition 0 of {@code topic}: up to the first, then one poll more. */
  private static List<String> readPartitionZero(String bootstrap, String topic, Map<String, Object> settings) {
    Map<String, Object> config = new HashMap<>(settings);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      reader.assign(List.of(partition));
      reader.seekToBeginning(List.of(partition));
      List<String> read = new ArrayList<>();
      Eventually.until(WAIT, () -> {
        reader.poll(Duration.ofMillis(100)).forEach(record -> read.add(new String(record.value())));
        return !read.isEmpty();
      }, () -> "nothing read through " + bootstrap);
      reader.poll(Duration.ofMillis(200)).forEach(record -> read.add(new String(record.value())));
      return read;
    }
  }

  static KafkaProducer<byte[], byte[]> transactional(String bootstrap, String transactionalId) {
    return new KafkaProducer<>(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  static void pollAll(List<KafkaConsumer<byte[], byte[]>> consumers, Map<Integer, List<String>> received) {
    for (int i = 0; i < consumers.size(); i++) {
      for (ConsumerRecord<byte[], byte[]> record : consumers.get(i).poll(Duration.ofMillis(50))) {
        received.computeIfAbsent(i, index -> new ArrayList<>()).add(new String(record.value()));
      }
    }
  }

  static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
    return new KafkaConsumer<>(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000,
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500,
        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000),
        new ByteArraySerializer(), new ByteArraySerializer());
  }
}
