package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.kafka.testing.KafkaFrames;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a well-behaved client never shows: retried and out-of-order idempotent batches, stale epochs, corrupt
 * batches, old versions and bad partitions — sent over a raw socket with kafka-clients' own request classes.
 */
@ExtendWith(RunningServer.class)
class KafkaProduceRulesTest {
  private static final String TOPIC = "rules";
  private static final short PRODUCE_VERSION = 9;
  private final TestServer server;

  KafkaProduceRulesTest(TestServer server) {
    this.server = server;
  }

  private static long producerId(KafkaConnection connection) {
    InitProducerIdResponse response = connection.roundTrip(new InitProducerIdRequest.Builder(
        new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000)).build((short) 4));
    assertThat(response.error()).isEqualTo(Errors.NONE);
    return response.data().producerId();
  }

  private static MemoryRecords batch(long producerId, int epoch, int sequence, String... values) {
    SimpleRecord[] records = new SimpleRecord[values.length];
    for (int i = 0; i < values.length; i++) {
      records[i] = new SimpleRecord(1_000L + i, null, values[i].getBytes(StandardCharsets.UTF_8));
    }
    return producerId < 0 ? MemoryRecords.withRecords(Compression.NONE, records)
        : MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) epoch, sequence, records);
  }

  private static ProduceRequestData request(Map<Integer, MemoryRecords> partitions) {
    TopicProduceData topic = new TopicProduceData().setName(TOPIC);
    partitions.forEach((partition, records) ->
        topic.partitionData().add(new PartitionProduceData().setIndex(partition).setRecords(records)));
    TopicProduceDataCollection topics = new TopicProduceDataCollection();
    topics.add(topic);
    return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics);
  }

  private static PartitionProduceResponse produce(KafkaConnection connection, int partition, MemoryRecords records) {
    ProduceResponse response = connection.roundTrip(
        ProduceRequest.builder(request(Map.of(partition, records))).build(PRODUCE_VERSION));
    return response.data().responses().iterator().next().partitionResponses().get(0);
  }

  private long endOffset(int partition) {
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server)) {
      TopicPartition tp = new TopicPartition(TOPIC, partition);
      return consumer.endOffsets(List.of(tp)).get(tp);
    }
  }

  @Test
  void aRetriedBatchIsAnsweredWithItsOriginalOffsetAndStoredOnce() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      // given
      long producerId = producerId(connection);
      assertThat(produce(connection, 0, batch(producerId, 0, 0, "a", "b")).baseOffset()).isZero();
      assertThat(produce(connection, 0, batch(producerId, 0, 2, "c")).baseOffset()).isEqualTo(2);

      // when the first batch arrives again
      PartitionProduceResponse retried = produce(connection, 0, batch(producerId, 0, 0, "a", "b"));

      // then
      assertThat(Errors.forCode(retried.errorCode())).isEqualTo(Errors.NONE);
      assertThat(retried.baseOffset()).isZero();
      assertThat(endOffset(0)).isEqualTo(3);
    }
  }

  @Test
  void pipelinedProduceRequestsAreStoredInOrderAndAnsweredInOrderBeforeTheNextRequest() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      // given five requests of one producer's consecutive batches sent without waiting, then a Metadata request
      long producerId = producerId(connection);
      List<RequestHeader> sent = new ArrayList<>();
      for (int sequence = 0; sequence < 10; sequence += 2) {
        RequestHeader header = connection.header(ApiKeys.PRODUCE, PRODUCE_VERSION);
        connection.send(KafkaFrames.frame(header, ProduceRequest.builder(request(Map.of(2,
            batch(producerId, 0, sequence, "p" + sequence, "q" + sequence)))).build(PRODUCE_VERSION)));
        sent.add(header);
      }
      RequestHeader metadata = connection.header(ApiKeys.METADATA, 12);
      connection.send(KafkaFrames.frame(metadata, new MetadataRequest.Builder(
          List.of(TOPIC), false).build((short) 12)));

      // then each is answered in turn, its batch stored after the one before
      for (int i = 0; i < sent.size(); i++) {
        ProduceResponse answer = KafkaFrames.response(connection.receive(), sent.get(i));
        PartitionProduceResponse partition = answer.data().responses().iterator().next().partitionResponses().get(0);
        assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
        assertThat(partition.baseOffset()).isEqualTo(2L * i);
      }
      MetadataResponse topics = KafkaFrames.response(connection.receive(), metadata);
      assertThat(topics.topicMetadata()).singleElement().satisfies(topic -> assertThat(topic.topic()).isEqualTo(TOPIC));
      assertThat(endOffset(2)).isEqualTo(10);
    }
  }

  @Test
  void aRetryRacingItsFirstAttemptOnAnotherConnectionIsStillStoredOnce() {
    try (KafkaConnection first = KafkaConnection.open(server.kafkaPort());
        KafkaConnection second = KafkaConnection.open(server.kafkaPort());
        KafkaConnection other = KafkaConnection.open(server.kafkaPort())) {
      long producerId = producerId(first);
      long otherId = producerId(other);
      for (int sequence = 0; sequence < 20; sequence += 2) {
        // given another producer's batch being written, so that what follows queues up and is merged
        RequestHeader busy = other.header(ApiKeys.PRODUCE, PRODUCE_VERSION);
        other.send(KafkaFrames.frame(busy, ProduceRequest.builder(request(Map.of(1,
            batch(otherId, 0, sequence / 2, "busy")))).build(PRODUCE_VERSION)));
        // and the same batch in flight twice at once
        ProduceRequest request = ProduceRequest.builder(request(Map.of(0,
            batch(producerId, 0, sequence, "x" + sequence, "y" + sequence)))).build(PRODUCE_VERSION);
        RequestHeader one = first.header(ApiKeys.PRODUCE, PRODUCE_VERSION);
        RequestHeader two = second.header(ApiKeys.PRODUCE, PRODUCE_VERSION);
        first.send(KafkaFrames.frame(one, request));
        second.send(KafkaFrames.frame(two, request));

        // then both succeed with the same offset
        ProduceResponse a = KafkaFrames.response(first.receive(), one);
        ProduceResponse b = KafkaFrames.response(second.receive(), two);
        PartitionProduceResponse pa = a.data().responses().iterator().next().partitionResponses().get(0);
        PartitionProduceResponse pb = b.data().responses().iterator().next().partitionResponses().get(0);
        assertThat(Errors.forCode(pa.errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(pb.errorCode())).isEqualTo(Errors.NONE);
        assertThat(pa.baseOffset()).isEqualTo(pb.baseOffset()).isEqualTo(sequence);
        ProduceResponse busyAnswer = KafkaFrames.response(other.receive(), busy);
        assertThat(busyAnswer.data().responses().iterator().next().partitionResponses().get(0).errorCode()).isZero();
      }
      // and each batch was stored once
      assertThat(endOffset(0)).isEqualTo(20);
    }
  }

  @Test
  void aSequenceGapIsOutOfOrderAndStoresNothing() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      long producerId = producerId(connection);
      produce(connection, 1, batch(producerId, 0, 0, "a"));

      PartitionProduceResponse gap = produce(connection, 1, batch(producerId, 0, 5, "f"));

      assertThat(Errors.forCode(gap.errorCode())).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
      assertThat(endOffset(1)).isEqualTo(1);
    }
  }

  @Test
  void anOlderEpochIsFenced() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      long producerId = producerId(connection);
      assertThat(produce(connection, 0, batch(producerId, 1, 0, "new epoch")).errorCode()).isZero();

      PartitionProduceResponse stale = produce(connection, 0, batch(producerId, 0, 1, "old epoch"));

      assertThat(Errors.forCode(stale.errorCode())).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
      assertThat(endOffset(0)).isEqualTo(1);
    }
  }

  @Test
  void aBatchWithABadCrcIsCorruptAndStoresNothing() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      MemoryRecords good = batch(-1, 0, 0, "intact");
      ByteBuffer bytes = ByteBuffer.allocate(good.sizeInBytes()).put(good.buffer().duplicate());
      bytes.put(bytes.limit() - 1, (byte) (bytes.get(bytes.limit() - 1) ^ 0x01));
      bytes.flip();

      PartitionProduceResponse corrupt = produce(connection, 0, MemoryRecords.readableRecords(bytes));

      assertThat(Errors.forCode(corrupt.errorCode())).isEqualTo(Errors.CORRUPT_MESSAGE);
      assertThat(endOffset(0)).isZero();
    }
  }

  @Test
  void aBadPartitionFailsOnlyItself() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      ProduceResponse response = connection.roundTrip(ProduceRequest.builder(request(Map.of(
          0, batch(-1, 0, 0, "kept"), 99, batch(-1, 0, 0, "nowhere")))).build(PRODUCE_VERSION));

      Map<Integer, Errors> errors = new HashMap<>();
      response.data().responses().iterator().next().partitionResponses()
          .forEach(p -> errors.put(p.index(), Errors.forCode(p.errorCode())));
      assertThat(errors).containsEntry(0, Errors.NONE).containsEntry(99, Errors.UNKNOWN_TOPIC_OR_PARTITION);
      assertThat(endOffset(0)).isEqualTo(1);
    }
  }

  @Test
  void aTransactionTimeoutAboveTheMaximumIsRefused() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      InitProducerIdResponse tooLong = connection.roundTrip(new InitProducerIdRequest.Builder(
          new InitProducerIdRequestData().setTransactionalId("tx-1")
              .setTransactionTimeoutMs(KafkaConfig.DEFAULT_TRANSACTION_MAX_TIMEOUT_MS + 1)).build((short) 4));
      assertThat(tooLong.error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
    }
  }

  @Test
  void produceV2IsAdvertisedButRefused() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      // given a v2 request (old message format): kafka-clients 4 writes neither it nor its answer, but a v2 body is a
      // v3 body without the leading (here null) transactional id
      ProduceRequestData data = request(Map.of(0, MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1,
          Compression.NONE, new SimpleRecord("old".getBytes(StandardCharsets.UTF_8)))));
      byte[] v3 = KafkaFrames.body(new ProduceRequest(data, (short) 3));
      RequestHeader header = connection.header(ApiKeys.PRODUCE, 2);
      connection.send(KafkaFrames.frame(header, Arrays.copyOfRange(v3, Short.BYTES, v3.length)));

      // then the answer is UNSUPPORTED_VERSION, in v2's layout (which is v3's)
      ByteBuffer answer = connection.receive();
      assertThat(answer.getInt()).isEqualTo(header.correlationId());
      ProduceResponseData body = new ProduceResponseData();
      body.read(new ByteBufferAccessor(answer), (short) 3);
      assertThat(body.responses().iterator().next().partitionResponses().get(0).errorCode())
          .isEqualTo(Errors.UNSUPPORTED_VERSION.code());
      assertThat(endOffset(0)).isZero();
    }
  }
}
