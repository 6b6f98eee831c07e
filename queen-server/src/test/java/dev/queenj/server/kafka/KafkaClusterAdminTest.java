package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData.Cursor;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DescribeConfigs, DescribeCluster and DescribeTopicPartitions through the AdminClient and raw requests. */
@ExtendWith(RunningServer.class)
class KafkaClusterAdminTest {
  private static final int WAIT_SECONDS = 30;
  /** Some of the configs a topic has: the ones with an effect and ones frameworks read back. */
  private static final List<String> TOPIC_CONFIGS = List.of("cleanup.policy", "max.message.bytes", "retention.ms",
      "retention.bytes", "delete.retention.ms", "min.compaction.lag.ms", "max.compaction.lag.ms",
      "min.insync.replicas", "segment.bytes", "segment.ms", "message.timestamp.type", "compression.type");
  private final TestServer server;

  KafkaClusterAdminTest(TestServer server) {
    this.server = server;
  }

  @Test
  void aTopicHasEverySupportedConfigWithItsDefault() throws Exception {
    push(server, "orders", "p");
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
    try (Admin admin = KafkaClients.admin(server)) {
      Config config = admin.describeConfigs(List.of(topic),
          new DescribeConfigsOptions().includeSynonyms(true).includeDocumentation(true))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS).get(topic);

      assertThat(config.entries()).extracting(ConfigEntry::name).containsAll(TOPIC_CONFIGS).doesNotHaveDuplicates();
      assertThat(config.entries()).allSatisfy(entry -> {
        assertThat(entry.isDefault()).isTrue();
        assertThat(entry.isSensitive()).isFalse();
        assertThat(entry.documentation()).isNotBlank();
        assertThat(entry.synonyms()).isNotEmpty();
      });
      assertThat(values(config)).containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", "-1")
          .containsEntry("max.message.bytes", "1048588").containsEntry("min.insync.replicas", "1");
      assertThat(config.get("max.message.bytes").isReadOnly()).isFalse();
      assertThat(config.get("max.message.bytes").type()).isEqualTo(ConfigEntry.ConfigType.INT);
      assertThat(config.get("max.message.bytes").synonyms()).extracting(ConfigEntry.ConfigSynonym::name)
          .containsExactly("message.max.bytes");
      assertThat(config.get("segment.bytes").isReadOnly()).isFalse();
      assertThat(config.get("segment.bytes").documentation()).startsWith("Stored only");
    }
  }

  @Test
  void aConfigSetOnTheTopicComesFirstInItsSynonyms() throws Exception {
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "limited");
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("limited", 1, (short) 1)
          .configs(Map.of("retention.ms", "1000")))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      ConfigEntry retention = admin.describeConfigs(List.of(topic), new DescribeConfigsOptions().includeSynonyms(true))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS).get(topic).get("retention.ms");

      assertThat(retention.value()).isEqualTo("1000");
      assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
      assertThat(retention.synonyms()).extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::value)
          .containsExactly(tuple("retention.ms", "1000"),
              tuple("log.retention.ms", "-1"));
    }
  }

  @Test
  void theBrokerReportsItsSettings() throws Exception {
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
    ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "ghost");
    try (Admin admin = KafkaClients.admin(server)) {
      Config config = admin.describeConfigs(List.of(broker)).all().get(WAIT_SECONDS, TimeUnit.SECONDS).get(broker);

      assertThat(values(config)).containsEntry("num.partitions", "8").containsEntry("auto.create.topics.enable", "true")
          .containsEntry("default.replication.factor", "1").containsEntry("message.max.bytes", "1048588")
          .containsEntry("producer.id.expiration.ms", "86400000")
          .containsEntry("transactional.id.expiration.ms", "604800000");
      assertThat(config.entries()).allSatisfy(entry -> assertThat(entry.isReadOnly()).isTrue());
      assertThat(config.get("num.partitions").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);

      // and a missing topic is an error for that resource only
      assertThat(admin.describeConfigs(List.of(missing)).values().get(missing))
          .failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
          .withCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }
  }

  @Test
  void theClusterIsThisOneNode() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      DescribeClusterResult cluster = admin.describeCluster();
      Node self = new Node(0, "localhost", server.kafkaPort());

      assertThat(cluster.nodes().get(WAIT_SECONDS, TimeUnit.SECONDS)).containsExactly(self);
      assertThat(cluster.controller().get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(self);
      String clusterId = cluster.clusterId().get(WAIT_SECONDS, TimeUnit.SECONDS);
      // the same id Metadata reports
      try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
        MetadataResponse metadata = connection.roundTrip(MetadataRequest.Builder.allTopics().build((short) 12));
        assertThat(metadata.clusterId()).isEqualTo(clusterId);
      }
    }
  }

  @Test
  void describingTopicsPagesThroughTheirPartitions() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("a", 3, (short) 1), new NewTopic("b", 2, (short) 1),
          new NewTopic("c", 4, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // the Admin client follows the cursor when each answer may hold only two partitions
      Map<String, TopicDescription> described = admin.describeTopics(List.of("a", "b", "c"),
          new DescribeTopicsOptions().partitionSizeLimitPerResponse(2)).allTopicNames()
          .get(WAIT_SECONDS, TimeUnit.SECONDS);

      assertThat(described.get("a").partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2);
      assertThat(described.get("b").partitions()).hasSize(2);
      assertThat(described.get("c").partitions()).extracting(TopicPartitionInfo::partition)
          .containsExactly(0, 1, 2, 3);
      assertThat(described.get("c").partitions()).allSatisfy(partition ->
          assertThat(partition.leader()).isEqualTo(new Node(0, "localhost", server.kafkaPort())));
    }

    // and on the wire: all topics in name order, a page at a time
    List<String> pages = new ArrayList<>();
    Cursor cursor = null;
    do {
      DescribeTopicPartitionsResponse response = describeTopicPartitions(
          new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(4).setCursor(cursor));
      pages.add(response.data().topics().stream().map(topic -> topic.name() + topic.partitions().stream()
          .map(partition -> String.valueOf(partition.partitionIndex())).collect(Collectors.joining(",", "[", "]")))
          .collect(Collectors.joining(" ")));
      cursor = response.data().nextCursor() == null ? null : new Cursor()
          .setTopicName(response.data().nextCursor().topicName())
          .setPartitionIndex(response.data().nextCursor().partitionIndex());
    } while (cursor != null);
    assertThat(pages).containsExactly("a[0,1,2] b[0]", "b[1] c[0,1,2]", "c[3]");
  }

  @Test
  void describingAMissingTopicReportsItAndCreatesNothing() {
    DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData()
        .setResponsePartitionLimit(100);
    request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName("ghost"));

    List<DescribeTopicPartitionsResponseTopic> topics = describeTopicPartitions(request).data().topics()
        .stream().toList();

    assertThat(topics).singleElement().satisfies(topic ->
        assertThat(topic.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
    assertThat(KafkaClients.queueNames(server)).isEmpty();
  }

  @Test
  void topicConfigsChangeIncrementally() throws Exception {
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "tuned");
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("tuned", 1, (short) 1).configs(Map.of("retention.ms", "1000"))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // when: set one, delete another back to its default, append what the list already holds
      admin.incrementalAlterConfigs(Map.of(topic, List.of(
          new AlterConfigOp(new ConfigEntry("max.message.bytes", "4096"), AlterConfigOp.OpType.SET),
          new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE),
          new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.APPEND))))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // then
      Config config = describe(admin, topic);
      assertThat(config.get("max.message.bytes").value()).isEqualTo("4096");
      assertThat(config.get("retention.ms").value()).isEqualTo("-1");
      assertThat(config.get("retention.ms").isDefault()).isTrue();
      assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");

      // and what cannot be honoured is refused as a whole, as is a validate-only change, leaving the topic as it was
      for (AlterConfigOp refused : List.of(
          new AlterConfigOp(new ConfigEntry("cleanup.policy", "shred"), AlterConfigOp.OpType.APPEND),
          new AlterConfigOp(new ConfigEntry("retention.ms", "5"), AlterConfigOp.OpType.APPEND),
          new AlterConfigOp(new ConfigEntry("segment.bytes", "1024"), AlterConfigOp.OpType.SET),
          new AlterConfigOp(new ConfigEntry("flush.ms", "-1"), AlterConfigOp.OpType.SET),
          new AlterConfigOp(new ConfigEntry("log.flush.interval.ms", "10"), AlterConfigOp.OpType.SET))) {
        assertThat(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("max.message.bytes", "1"), AlterConfigOp.OpType.SET), refused)))
            .all()).failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
            .withCauseInstanceOf(InvalidConfigurationException.class);
      }
      admin.incrementalAlterConfigs(Map.of(topic, List.of(
          new AlterConfigOp(new ConfigEntry("max.message.bytes", "1"), AlterConfigOp.OpType.SET))),
          new AlterConfigsOptions().validateOnly(true)).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(describe(admin, topic).get("max.message.bytes").value()).isEqualTo("4096");

      // broker configs come from the server's settings
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
      assertThat(admin.incrementalAlterConfigs(Map.of(broker, List.of(
          new AlterConfigOp(new ConfigEntry("num.partitions", "3"), AlterConfigOp.OpType.SET)))).all())
          .failsWithin(WAIT_SECONDS, TimeUnit.SECONDS).withThrowableThat()
          .withCauseInstanceOf(InvalidRequestException.class);

      // removing what is not set succeeds and changes nothing, as kafka-reassign-partitions does with throttles
      admin.incrementalAlterConfigs(Map.of(
          broker, List.of(new AlterConfigOp(new ConfigEntry("leader.replication.throttled.rate", null),
              AlterConfigOp.OpType.DELETE)),
          topic, List.of(new AlterConfigOp(new ConfigEntry("leader.replication.throttled.replicas", null),
              AlterConfigOp.OpType.DELETE)))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(describe(admin, topic).get("max.message.bytes").value()).isEqualTo("4096");
      assertThat(describe(admin, broker).get("num.partitions").value()).isEqualTo("8");
    }
  }

  /**
   * The legacy AlterConfigs, which kafka-clients 4 no longer offers on Admin (3.x's deprecated {@code alterConfigs}
   * and older tools send it), spoken with kafka-clients' own request classes at every advertised version.
   */
  @ParameterizedTest
  @ValueSource(shorts = {0, 1, 2})
  void legacyAlterConfigsReplacesATopicsConfigsWhole(short version) throws Exception {
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "legacy");
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("legacy", 1, (short) 1).configs(Map.of("retention.ms", "1000",
          "max.message.bytes", "2048")))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // when the topic's configs are replaced by one
      assertThat(legacyAlter(version, topic, false, Map.of("retention.bytes", "4096"))).isEqualTo(Errors.NONE);

      // then it is set and the others are back to their defaults
      Config config = describe(admin, topic);
      assertThat(config.get("retention.bytes").value()).isEqualTo("4096");
      assertThat(config.get("retention.ms").isDefault()).isTrue();
      assertThat(config.get("max.message.bytes").isDefault()).isTrue();

      // and what cannot be honoured is refused as a whole, as is a validate-only change, leaving the topic as it was
      assertThat(legacyAlter(version, topic, false, Map.of("retention.ms", "5", "max.message.bytes", "-5")))
          .isEqualTo(Errors.INVALID_CONFIG);
      assertThat(legacyAlter(version, topic, false, Map.of("retention.ms", "5", "no.such.config", "1")))
          .isEqualTo(Errors.INVALID_CONFIG);
      assertThat(legacyAlter(version, topic, true, Map.of("retention.ms", "5"))).isEqualTo(Errors.NONE);
      assertThat(describe(admin, topic).get("retention.ms").isDefault()).isTrue();
      assertThat(describe(admin, topic).get("retention.bytes").value()).isEqualTo("4096");

      // broker configs come from the server's settings; a missing topic is unknown
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
      assertThat(legacyAlter(version, broker, false, Map.of("num.partitions", "3")))
          .isEqualTo(Errors.INVALID_REQUEST);
      assertThat(legacyAlter(version, broker, false, Map.of())).as("no overrides, as before").isEqualTo(Errors.NONE);
      assertThat(describe(admin, broker).get("num.partitions").value()).isEqualTo("8");
      assertThat(legacyAlter(version, new ConfigResource(ConfigResource.Type.TOPIC, "missing"), false,
          Map.of("retention.ms", "5"))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }
  }

  private Errors legacyAlter(short version, ConfigResource resource, boolean validateOnly,
      Map<String, String> configs) {
    List<AlterConfigsRequest.ConfigEntry> entries = new ArrayList<>();
    configs.forEach((name, value) -> entries.add(new AlterConfigsRequest.ConfigEntry(name, value)));
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      AlterConfigsResponse response = connection.roundTrip(new AlterConfigsRequest.Builder(
          Map.of(resource, new AlterConfigsRequest.Config(entries)), validateOnly).build(version));
      return response.errors().get(resource).error();
    }
  }

  private static Config describe(Admin admin, ConfigResource resource) throws Exception {
    return admin.describeConfigs(List.of(resource)).all().get(WAIT_SECONDS, TimeUnit.SECONDS).get(resource);
  }

  private DescribeTopicPartitionsResponse describeTopicPartitions(DescribeTopicPartitionsRequestData request) {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      return connection.roundTrip(new DescribeTopicPartitionsRequest(request, (short) 0));
    }
  }

  private static Map<String, String> values(Config config) {
    return config.entries().stream().collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
  }
}
