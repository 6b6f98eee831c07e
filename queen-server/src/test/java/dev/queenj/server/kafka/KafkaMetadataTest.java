package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.push;
import static dev.queenj.server.kafka.KafkaClients.queueNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.MetadataResponse.TopicMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Metadata through real Kafka clients (Admin, KafkaConsumer) and, for what they cannot send, raw requests. */
@ExtendWith(RunningServer.class)
class KafkaMetadataTest {
  private static final int WAIT_SECONDS = 30;
  private final TestServer server;

  KafkaMetadataTest(TestServer server) {
    this.server = server;
  }

  @Test
  void adminListsAndDescribesAQueueCreatedThroughTheNativeApi() throws Exception {
    // given
    push(server, "orders", "customer-1");

    try (Admin admin = KafkaClients.admin(server)) {
      // when
      Set<String> names = admin.listTopics().names().get(WAIT_SECONDS, TimeUnit.SECONDS);
      TopicDescription orders = admin.describeTopics(List.of("orders")).allTopicNames()
          .get(WAIT_SECONDS, TimeUnit.SECONDS).get("orders");

      // then
      assertThat(names).containsExactly("orders");
      assertThat(orders.isInternal()).isFalse();
      assertThat(orders.topicId()).isNotIn(Uuid.ZERO_UUID, null);
      assertThat(orders.partitions()).hasSize(8).extracting(TopicPartitionInfo::partition)
          .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
      Node self = new Node(0, "localhost", server.kafkaPort());
      assertThat(orders.partitions()).allSatisfy(partition -> {
        assertThat(partition.leader()).isEqualTo(self);
        assertThat(partition.replicas()).containsExactly(self);
        assertThat(partition.isr()).containsExactly(self);
      });

      // and the topic id is the queue's for its life: the same on every request and by id
      TopicDescription byId = admin.describeTopics(TopicCollection.ofTopicIds(List.of(orders.topicId())))
          .allTopicIds().get(WAIT_SECONDS, TimeUnit.SECONDS).get(orders.topicId());
      assertThat(byId.name()).isEqualTo("orders");
      assertThat(byId.partitions()).hasSize(8);
    }
  }

  @Test
  void aConsumerAskingForAMissingTopicCreatesItAsAQueue() {
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server)) {
      // a consumer's Metadata requests allow auto-creation (allow.auto.create.topics defaults to true)
      List<PartitionInfo> partitions = consumer.partitionsFor("invoices.eu");

      assertThat(partitions).hasSize(8).allSatisfy(partition ->
          assertThat(partition.leader()).isEqualTo(new Node(0, "localhost", server.kafkaPort())));
      assertThat(consumer.listTopics()).containsOnlyKeys("invoices.eu");
    }
    assertThat(queueNames(server)).containsExactly("invoices.eu");
  }

  @Test
  void adminDescribingAMissingTopicDoesNotCreateIt() {
    try (Admin admin = KafkaClients.admin(server)) {
      assertThatThrownBy(() -> admin.describeTopics(List.of("ghost")).allTopicNames().get(WAIT_SECONDS,
          TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
    }
    assertThat(queueNames(server)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(shorts = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void everyAdvertisedVersionDescribesAQueue(short version) {
    push(server, "orders", "customer-1");

    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      // built from the message itself: kafka-clients 4's builder no longer builds v0, which we still serve
      MetadataRequestData request = new MetadataRequestData();
      request.topics().add(new MetadataRequestTopic().setName("orders"));
      MetadataResponse response = connection.roundTrip(new MetadataRequest(request, version));

      assertThat(response.brokers()).containsExactly(new Node(0, "localhost", server.kafkaPort()));
      TopicMetadata orders = response.topicMetadata().iterator().next();
      assertThat(orders.error()).isEqualTo(Errors.NONE);
      assertThat(orders.topic()).isEqualTo("orders");
      assertThat(orders.partitionMetadata()).hasSize(8);
      if (version >= 1) {
        assertThat(response.controller()).isEqualTo(new Node(0, "localhost", server.kafkaPort()));
      }
      if (version >= 2) {
        assertThat(response.clusterId()).isNotBlank();
      }
      if (version >= 10) {
        assertThat(orders.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
      }
    }
  }

  @Test
  void anEmptyTopicListMeansAllTopicsInV0AndNoTopicsSince() {
    push(server, "orders", "customer-1");

    assertThat(metadata(new MetadataRequest(new MetadataRequestData(), (short) 0)).topicMetadata())
        .extracting(TopicMetadata::topic).containsExactly("orders");
    assertThat(metadata(new MetadataRequest(new MetadataRequestData(), (short) 1)).topicMetadata()).isEmpty();
  }

  @Test
  void theClusterIdIsTheSameOnEveryConnectionAndVersion() {
    String first = metadata(MetadataRequest.Builder.allTopics().build((short) 12)).clusterId();
    String second = metadata(MetadataRequest.Builder.allTopics().build((short) 2)).clusterId();

    assertThat(second).isEqualTo(first);
    assertThat(Uuid.fromString(first)).isNotEqualTo(Uuid.ZERO_UUID);
  }

  @Test
  void withoutPermissionInTheRequestAMissingTopicIsUnknownAndNotCreated() {
    MetadataResponse response = metadata(new MetadataRequest.Builder(List.of("ghost"), false).build((short) 12));

    assertThat(response.errors()).isEqualTo(Map.of("ghost", Errors.UNKNOWN_TOPIC_OR_PARTITION));
    assertThat(queueNames(server)).isEmpty();
  }

  @Test
  void anInvalidTopicNameIsRefusedAndNotCreated() {
    String tooLong = "x".repeat(250);
    MetadataResponse response = metadata(
        new MetadataRequest.Builder(List.of("no spaces", "..", tooLong), true).build((short) 12));

    assertThat(response.errors()).isEqualTo(Map.of("no spaces", Errors.INVALID_TOPIC_EXCEPTION,
        "..", Errors.INVALID_TOPIC_EXCEPTION, tooLong, Errors.INVALID_TOPIC_EXCEPTION));
    assertThat(queueNames(server)).isEmpty();
  }

  @Test
  void kafkasInternalTopicsAreNeverCreatedAsQueues() {
    MetadataResponse response = metadata(
        new MetadataRequest.Builder(List.of("__consumer_offsets"), true).build((short) 12));

    assertThat(response.errors()).isEqualTo(Map.of("__consumer_offsets", Errors.UNKNOWN_TOPIC_OR_PARTITION));
    assertThat(queueNames(server)).isEmpty();
  }

  @Test
  void anUnknownTopicIdIsUnknownTopicIdAndCreatesNothing() {
    Uuid unknown = Uuid.randomUuid();
    MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true);
    request.topics().add(new MetadataRequestTopic().setTopicId(unknown).setName(null));

    MetadataResponse response = metadata(new MetadataRequest(request, (short) 12));

    assertThat(response.topicMetadata()).singleElement().satisfies(topic -> {
      assertThat(topic.error()).isEqualTo(Errors.UNKNOWN_TOPIC_ID);
      assertThat(topic.topicId()).isEqualTo(unknown);
    });
    assertThat(queueNames(server)).isEmpty();
  }

  @Test
  void topicIdsBeforeV12AreAnInvalidRequest() {
    MetadataRequestData request = new MetadataRequestData();
    request.topics().add(new MetadataRequestTopic().setTopicId(Uuid.randomUuid()).setName("orders"));

    MetadataResponse response = metadata(new MetadataRequest(request, (short) 11));

    assertThat(response.errors()).isEqualTo(Map.of("orders", Errors.INVALID_REQUEST));
  }

  @Test
  void autoCreationCanBeTurnedOff() {
    try (TestServer strict = TestServer.start(TestServer.defaultHttp(), TestServer.kafka(false))) {
      try (KafkaConnection connection = KafkaConnection.open(strict.kafkaPort())) {
        MetadataResponse response = connection.roundTrip(
            new MetadataRequest.Builder(List.of("ghost"), true).build((short) 12));
        assertThat(response.errors()).isEqualTo(Map.of("ghost", Errors.UNKNOWN_TOPIC_OR_PARTITION));
      }
      assertThat(queueNames(strict)).isEmpty();
    }
  }

  private MetadataResponse metadata(MetadataRequest request) {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      return connection.roundTrip(request);
    }
  }
}
