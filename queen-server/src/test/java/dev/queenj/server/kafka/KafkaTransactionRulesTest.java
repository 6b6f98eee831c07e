package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.core.testing.Eventually;
import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transaction coordinator's rules, request by request, with Kafka's error codes; and the transaction timeout,
 * on a server of its own that looks for expired transactions every 100 ms.
 */
class KafkaTransactionRulesTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestServer server;
  private final String topic = "rules-" + UUID.randomUUID();
  private final String transactionalId = "rules-" + UUID.randomUUID();

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.defaultHttp(), new KafkaConfig(0, "localhost", 4,
        KafkaConfig.DEFAULT_MAX_REQUEST_BYTES, true, GroupConfig.defaults(),
        KafkaConfig.DEFAULT_TRANSACTION_MAX_TIMEOUT_MS, 100));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private InitProducerIdResponse init(KafkaConnection connection) {
    return connection.roundTrip(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
        .setTransactionalId(transactionalId).setTransactionTimeoutMs(60_000)).build((short) 4));
  }

  private Map<TopicPartition, Errors> addPartitions(KafkaConnection connection, String name, long producerId,
      short epoch) {
    AddPartitionsToTxnResponse response = connection.roundTrip(AddPartitionsToTxnRequest.Builder
        .forClient(transactionalId, producerId, epoch, List.of(new TopicPartition(name, 0))).build((short) 3));
    return response.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID);
  }

  private Errors end(KafkaConnection connection, String id, long producerId, short epoch, boolean commit) {
    EndTxnResponse response = connection.roundTrip(new EndTxnRequest.Builder(new EndTxnRequestData()
        .setTransactionalId(id).setProducerId(producerId).setProducerEpoch(epoch).setCommitted(commit), false)
        .build((short) 3));
    return response.error();
  }

  private void createTopic(KafkaConnection connection) {
    connection.roundTrip(new MetadataRequest.Builder(List.of(topic), true).build((short) 9));
  }

  @Test
  void onlyTheCurrentProducerOfATransactionalIdMayActOnIt() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      createTopic(connection);
      // an unknown transactional id has no producer
      assertThat(end(connection, "unknown-" + UUID.randomUUID(), 1, (short) 0, true))
          .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);

      // a second InitProducerId bumps the epoch of the same producer id
      InitProducerIdResponse first = init(connection);
      InitProducerIdResponse second = init(connection);
      long producerId = first.data().producerId();
      assertThat(second.data().producerId()).isEqualTo(producerId);
      assertThat(second.data().producerEpoch()).isEqualTo((short) (first.data().producerEpoch() + 1));
      short epoch = second.data().producerEpoch();

      // the older epoch is fenced; another producer id is not this transactional id's
      assertThat(addPartitions(connection, topic, producerId, first.data().producerEpoch()))
          .containsValue(Errors.PRODUCER_FENCED);
      assertThat(addPartitions(connection, topic, producerId + 1_000_000, epoch))
          .containsValue(Errors.INVALID_PRODUCER_ID_MAPPING);
      // an unknown topic fails the request, nothing added
      assertThat(addPartitions(connection, "missing-" + UUID.randomUUID(), producerId, epoch))
          .containsValue(Errors.UNKNOWN_TOPIC_OR_PARTITION);
      // no transaction to end yet
      assertThat(end(connection, transactionalId, producerId, epoch, true)).isEqualTo(Errors.INVALID_TXN_STATE);

      // a transactional batch for a partition not added is refused
      assertThat(produce(connection, producerId, epoch, 0)).isEqualTo(Errors.INVALID_TXN_STATE);
      assertThat(addPartitions(connection, topic, producerId, epoch)).containsValue(Errors.NONE);
      assertThat(produce(connection, producerId, epoch, 1)).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
      assertThat(produce(connection, producerId, (short) (epoch - 1), 0)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
      assertThat(produce(connection, producerId, epoch, 0)).isEqualTo(Errors.NONE);
      // a retried batch is answered again, and staged once
      assertThat(produce(connection, producerId, epoch, 0)).isEqualTo(Errors.NONE);

      // a retried end answers the same; the other end of a completed transaction is refused
      assertThat(end(connection, transactionalId, producerId, epoch, true)).isEqualTo(Errors.NONE);
      assertThat(end(connection, transactionalId, producerId, epoch, true)).isEqualTo(Errors.NONE);
      assertThat(end(connection, transactionalId, producerId, epoch, false)).isEqualTo(Errors.INVALID_TXN_STATE);
    }
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of())) {
      assertThat(consumer.endOffsets(List.of(new TopicPartition(topic, 0))).values()).containsExactly(1L);
    }
  }

  private Errors produce(KafkaConnection connection, long producerId, short epoch, int sequence) {
    MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, sequence,
        new SimpleRecord(1_000L, null, "v".getBytes(StandardCharsets.UTF_8)));
    TopicProduceData data = new TopicProduceData().setName(topic);
    data.partitionData().add(new PartitionProduceData().setIndex(0).setRecords(records));
    TopicProduceDataCollection topics = new TopicProduceDataCollection();
    topics.add(data);
    ProduceResponse response = connection.roundTrip(ProduceRequest.builder(new ProduceRequestData()
        .setTransactionalId(transactionalId).setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics))
        .build((short) 9));
    return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
  }

  @Test
  void offsetsStagedInAnOpenTransactionAreUnstableUntilItEnds() {
    String group = "stable-" + UUID.randomUUID();
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      createTopic(connection);
      InitProducerIdResponse producer = init(connection);
      long producerId = producer.data().producerId();
      short epoch = producer.data().producerEpoch();

      // offsets need the group added first
      assertThat(txnOffsetCommit(connection, group, producerId, epoch)).isEqualTo(Errors.INVALID_TXN_STATE);
      AddOffsetsToTxnResponse added = connection.roundTrip(new AddOffsetsToTxnRequest.Builder(
          new AddOffsetsToTxnRequestData().setTransactionalId(transactionalId).setProducerId(producerId)
              .setProducerEpoch(epoch).setGroupId(group)).build((short) 3));
      assertThat(Errors.forCode(added.data().errorCode())).isEqualTo(Errors.NONE);
      assertThat(txnOffsetCommit(connection, group, producerId, epoch)).isEqualTo(Errors.NONE);

      // while the transaction is open, a stable fetch is told to retry and a plain one sees nothing committed
      assertThat(Errors.forCode(fetchOffset(connection, group, partition, true).errorCode()))
          .isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT);
      assertThat(fetchOffset(connection, group, partition, false).committedOffset()).isEqualTo(-1);

      // once it committed, both see the offset
      assertThat(end(connection, transactionalId, producerId, epoch, true)).isEqualTo(Errors.NONE);
      assertThat(fetchOffset(connection, group, partition, true).committedOffset()).isEqualTo(42);
      assertThat(fetchOffset(connection, group, partition, false).committedOffset()).isEqualTo(42);
    }
  }

  private Errors txnOffsetCommit(KafkaConnection connection, String group, long producerId, short epoch) {
    TxnOffsetCommitRequest request = new TxnOffsetCommitRequest.Builder(new org.apache.kafka.common.message
        .TxnOffsetCommitRequestData().setTransactionalId(transactionalId).setGroupId(group).setProducerId(producerId)
        .setProducerEpoch(epoch).setTopics(List.of(new TxnOffsetCommitRequestTopic().setName(topic)
            .setPartitions(List.of(new TxnOffsetCommitRequestPartition().setPartitionIndex(0)
                .setCommittedOffset(42).setCommittedMetadata("m")))))).build((short) 2);
    TxnOffsetCommitResponse response = connection.roundTrip(request);
    return response.errors().values().iterator().next();
  }

  private static OffsetFetchResponsePartition fetchOffset(KafkaConnection connection, String group,
      TopicPartition partition, boolean requireStable) {
    OffsetFetchRequestData data = new OffsetFetchRequestData().setGroupId(group).setRequireStable(requireStable)
        .setTopics(List.of(new OffsetFetchRequestTopic().setName(partition.topic())
            .setPartitionIndexes(List.of(partition.partition()))));
    OffsetFetchResponse response = connection.roundTrip(OffsetFetchRequest.Builder.forTopicNames(data, false)
        .build((short) 7));
    return response.data().topics().get(0).partitions().get(0);
  }

  @Test
  void aTransactionPastItsTimeoutIsAbortedAndItsProducerFenced() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of(
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 1_000));
        Admin admin = KafkaClients.admin(server)) {
      // given an open transaction whose producer goes quiet
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "v".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);

      // then the server aborts it once its timeout passed
      Eventually.until(WAIT, () -> state(admin) == TransactionState.COMPLETE_ABORT, () -> "state " + state(admin));
      // and the producer is fenced, its records gone
      assertThatThrownBy(producer::commitTransaction).isInstanceOf(ProducerFencedException.class);
    }
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      assertThat(consumer.endOffsets(partitions).values()).containsOnly(0L);
    }
  }

  private TransactionState state(Admin admin) {
    try {
      return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
          .get(30, TimeUnit.SECONDS).state();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
