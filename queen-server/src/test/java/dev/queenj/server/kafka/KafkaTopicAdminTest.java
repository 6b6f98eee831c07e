package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.popIds;
import static dev.queenj.server.kafka.KafkaClients.push;
import static dev.queenj.server.kafka.KafkaClients.queueNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CreateTopics, DeleteTopics and CreatePartitions through the AdminClient, checked from both views. */
@ExtendWith(RunningServer.class)
class KafkaTopicAdminTest {
  private static final int WAIT_SECONDS = 30;
  private final TestServer server;

  KafkaTopicAdminTest(TestServer server) {
    this.server = server;
  }

  @Test
  void aCreatedTopicIsAQueueTheNativeApiPushesTo() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      // when
      CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("payments", 3, (short) 1),
          new NewTopic("audit", Optional.empty(), Optional.empty())));
      created.all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // then the answer describes each topic (v5+), with its id (v7)
      assertThat(created.numPartitions("payments").get()).isEqualTo(3);
      assertThat(created.numPartitions("audit").get()).isEqualTo(8);
      assertThat(created.replicationFactor("payments").get()).isEqualTo(1);
      Uuid paymentsId = created.topicId("payments").get();
      assertThat(paymentsId).isNotEqualTo(Uuid.ZERO_UUID);
      assertThat(created.config("payments").get().get("cleanup.policy").value()).isEqualTo("delete");

      // and both views agree
      TopicDescription payments = describe(admin, "payments");
      assertThat(payments.topicId()).isEqualTo(paymentsId);
      assertThat(payments.partitions()).hasSize(3);
      assertThat(queueNames(server)).containsExactly("audit", "payments");
      push(server, "payments", "customer-1", "t1");
      assertThat(popIds(server, "payments", "customer-1")).containsExactly("t1");
    }
  }

  @Test
  void validateOnlyChecksEverythingAndCreatesNothing() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("dry", 2, (short) 1)), new CreateTopicsOptions().validateOnly(true))
          .all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(queueNames(server)).isEmpty();

      push(server, "taken", "p", "t1");
      assertCause(admin.createTopics(List.of(new NewTopic("taken", 2, (short) 1)),
          new CreateTopicsOptions().validateOnly(true)).all(), TopicExistsException.class);
      assertCause(admin.createTopics(List.of(new NewTopic("dry", 2, (short) 3)),
          new CreateTopicsOptions().validateOnly(true)).all(), InvalidReplicationFactorException.class);
      assertThat(queueNames(server)).containsExactly("taken");
    }
  }

  @Test
  void badRequestsAreRefusedPerTopicAndChangeNothing() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      push(server, "orders", "p", "t1");

      CreateTopicsResult result = admin.createTopics(List.of(
          new NewTopic("orders", 1, (short) 1),
          new NewTopic("replicated", 1, (short) 3),
          new NewTopic("no spaces", 1, (short) 1),
          new NewTopic("zero", 0, (short) 1),
          new NewTopic("shredded", 1, (short) 1).configs(Map.of("cleanup.policy", "shred")),
          new NewTopic("unknown-config", 1, (short) 1).configs(Map.of("log.flush.interval.ms", "10")),
          new NewTopic("replicas", 1, (short) 1).configs(Map.of("min.insync.replicas", "0")),
          new NewTopic("good", 1, (short) 1)));

      assertCause(result.values().get("orders"), TopicExistsException.class);
      assertCause(result.values().get("replicated"), InvalidReplicationFactorException.class);
      assertCause(result.values().get("no spaces"), InvalidTopicException.class);
      assertCause(result.values().get("zero"), InvalidPartitionsException.class);
      assertCause(result.values().get("shredded"), InvalidConfigurationException.class);
      assertCause(result.values().get("unknown-config"), InvalidConfigurationException.class);
      assertCause(result.values().get("replicas"), InvalidConfigurationException.class);
      result.values().get("good").get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(queueNames(server)).containsExactly("good", "orders");
      assertThat(describe(admin, "orders").partitions()).hasSize(8);
    }
  }

  @Test
  void configsGivenAtCreationAreStoredAndDescribed() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("limited", 2, (short) 1).configs(Map.of(
          "max.message.bytes", "2048", "retention.ms", "60000", "cleanup.policy", "delete",
          "min.insync.replicas", "1")))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "limited");
      Config config = admin.describeConfigs(List.of(topic)).all().get(WAIT_SECONDS, TimeUnit.SECONDS).get(topic);

      assertThat(config.get("max.message.bytes").value()).isEqualTo("2048");
      assertThat(config.get("max.message.bytes").isDefault()).isFalse();
      assertThat(config.get("retention.ms").value()).isEqualTo("60000");
      // explicitly set, as Kafka keeps it, even though it is the default value
      assertThat(config.get("cleanup.policy").isDefault()).isFalse();
      assertThat(config.get("segment.bytes").isDefault()).isTrue();
      assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
    }
  }

  @Test
  void deletingATopicByNameOrIdDeletesTheQueueForBothViews() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      // given
      push(server, "by-name", "p", "t1");
      push(server, "by-id", "p", "t1");
      push(server, "kept", "p", "t1");
      Uuid byId = describe(admin, "by-id").topicId();

      // when
      admin.deleteTopics(List.of("by-name")).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      admin.deleteTopics(TopicCollection.ofTopicIds(List.of(byId))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      // then
      assertThat(admin.listTopics().names().get(WAIT_SECONDS, TimeUnit.SECONDS)).containsExactly("kept");
      assertThat(queueNames(server)).containsExactly("kept");
      assertThat(server.get("/api/v1/resources/queues/by-name").body().get("error").asText())
          .isEqualTo("Queue not found");

      // and pushing again starts an empty queue, which is a new topic
      push(server, "by-id", "p", "t2");
      assertThat(popIds(server, "by-id", "p")).containsExactly("t2");
      assertThat(describe(admin, "by-id").topicId()).isNotEqualTo(byId);
    }
  }

  @Test
  void deletingAMissingTopicSaysItIsUnknown() {
    try (Admin admin = KafkaClients.admin(server)) {
      assertCause(admin.deleteTopics(List.of("ghost")).all(), UnknownTopicOrPartitionException.class);
      assertCause(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid()))).all(),
          UnknownTopicIdException.class);
    }
  }

  @Test
  void partitionsGrowButNeverShrinkAndValidateOnlyChangesNothing() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("growing", 2, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);

      admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5)),
          new CreatePartitionsOptions().validateOnly(true)).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(describe(admin, "growing").partitions()).hasSize(2);

      admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all()
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(describe(admin, "growing").partitions()).hasSize(5);

      assertCause(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5))).all(),
          InvalidPartitionsException.class);
      assertCause(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3))).all(),
          InvalidPartitionsException.class);
      assertCause(admin.createPartitions(Map.of("ghost", NewPartitions.increaseTo(3))).all(),
          UnknownTopicOrPartitionException.class);
      assertThat(describe(admin, "growing").partitions()).hasSize(5);
    }
  }

  @Test
  void aConversationStaysInOrderWhenItsTopicGrows() throws Exception {
    // given a conversation the grown topic would place elsewhere, with messages before the growth
    String conversation = conversationMovedByGrowth(1, 8);
    try (Admin admin = KafkaClients.admin(server)) {
      admin.createTopics(List.of(new NewTopic("chat", 1, (short) 1))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      push(server, "chat", conversation, "m1", "m2", "m3");

      // when the topic grows and the conversation goes on
      admin.createPartitions(Map.of("chat", NewPartitions.increaseTo(8))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      push(server, "chat", conversation, "m4", "m5");
      push(server, "chat", "newcomer", "n1");
    }

    // then it pops in push order across the change, and new conversations are unaffected
    assertThat(popIds(server, "chat", conversation)).containsExactly("m1", "m2", "m3", "m4", "m5");
    assertThat(popIds(server, "chat", "newcomer")).containsExactly("n1");
  }

  @ParameterizedTest
  @ValueSource(shorts = {2, 3, 4, 5, 6, 7})
  void everyAdvertisedCreateTopicsVersionCreatesAndEveryDeleteTopicsVersionDeletes(short version) {
    String name = "versioned-" + version;
    CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(WAIT_SECONDS * 1000);
    create.topics().add(new CreatableTopic().setName(name).setNumPartitions(2).setReplicationFactor((short) 1));
    // DeleteTopics' versions run one behind: 1-6 against CreateTopics' 2-7
    short deleteVersion = (short) (version - 1);
    DeleteTopicsRequestData delete = new DeleteTopicsRequestData().setTimeoutMs(WAIT_SECONDS * 1000);
    if (deleteVersion >= 6) {
      delete.topics().add(new DeleteTopicState().setName(name));
    } else {
      delete.topicNames().add(name);
    }

    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      CreateTopicsResponse created = connection.roundTrip(new CreateTopicsRequest.Builder(create).build(version));
      assertThat(created.data().topics().find(name).errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(queueNames(server)).containsExactly(name);

      DeleteTopicsResponse deleted = connection.roundTrip(
          new DeleteTopicsRequest.Builder(delete).build(deleteVersion));
      assertThat(deleted.data().responses()).singleElement()
          .satisfies(result -> assertThat(result.errorCode()).isEqualTo(Errors.NONE.code()));
      assertThat(queueNames(server)).isEmpty();
    }
  }

  @Test
  void aManualAssignmentMayOnlyNameThisBroker() throws Exception {
    try (Admin admin = KafkaClients.admin(server)) {
      // partitions listed out of order, as a client iterating a map may send them
      Map<Integer, List<Integer>> assignment = new TreeMap<>(Comparator.reverseOrder());
      assignment.putAll(Map.of(0, List.of(0), 1, List.of(0)));
      admin.createTopics(List.of(new NewTopic("assigned", assignment))).all().get(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(describe(admin, "assigned").partitions()).hasSize(2);

      assertCause(admin.createTopics(List.of(new NewTopic("elsewhere", Map.of(0, List.of(1))))).all(),
          InvalidReplicaAssignmentException.class);
      assertCause(admin.createPartitions(Map.of("assigned", NewPartitions.increaseTo(3, List.of(List.of(2))))).all(),
          InvalidReplicaAssignmentException.class);
      assertThat(queueNames(server)).containsExactly("assigned");
    }
  }

  private static String conversationMovedByGrowth(int before, int after) {
    for (int i = 0; ; i++) {
      String name = "conversation-" + i;
      if (PartitionPlacement.kafkaPartition(name, before) != PartitionPlacement.kafkaPartition(name, after)) {
        return name;
      }
    }
  }

  private static TopicDescription describe(Admin admin, String topic) throws Exception {
    return admin.describeTopics(List.of(topic)).allTopicNames().get(WAIT_SECONDS, TimeUnit.SECONDS).get(topic);
  }

  private static void assertCause(KafkaFuture<?> future, Class<? extends Throwable> cause) {
    assertThatThrownBy(() -> future.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(cause);
  }
}
