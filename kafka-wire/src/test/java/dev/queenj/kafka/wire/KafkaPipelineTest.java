package dev.queenj.kafka.wire;

import static dev.queenj.kafka.testing.KafkaFrames.frame;
import static dev.queenj.kafka.testing.KafkaFrames.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.kafka.api.ApiTable;
import dev.queenj.kafka.testing.KafkaFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The connection pipeline on an embedded channel: framing, decoding, dispatch order, encoding, and bad input. */
class KafkaPipelineTest {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final PendingMetadata metadata = new PendingMetadata();
  private final EmbeddedChannel channel = new EmbeddedChannel(new KafkaChannelInitializer(
      ApiTable.of(List.of(metadata)), MAX_REQUEST_BYTES, new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE)));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @ParameterizedTest
  @MethodSource("apiVersionsVersions")
  void apiVersionsAdvertisesExactlyTheTableAtEveryVersion(short version) {
    RequestHeader header = header(ApiKeys.API_VERSIONS, version, 7);

    send(frame(header, new ApiVersionsRequest.Builder().build(version)));

    ApiVersionsResponse response = KafkaFrames.response(nextResponse(), header);
    assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.NONE);
    assertThat(ranges(response)).containsExactly(
        Map.entry(ApiKeys.METADATA.id, List.of((short) 0, (short) 12)),
        Map.entry(ApiKeys.API_VERSIONS.id, List.of((short) 0, (short) 4)));
  }

  static Stream<Short> apiVersionsVersions() {
    return IntStream.rangeClosed(0, 4).mapToObj(v -> (short) v);
  }

  @Test
  void aTooNewApiVersionsRequestIsAnsweredInV0WithOurOwnRange() {
    // given a client from the future: a version kafka-clients cannot read, with a body in a layout nobody knows yet
    RequestHeader header = header(ApiKeys.API_VERSIONS, 9, 11);

    send(frame(header, new byte[] {1, 2, 3, 4, 5}));

    ApiVersionsResponse response = KafkaFrames.response(nextResponse(), header, (short) 0);
    assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
    assertThat(ranges(response)).containsExactly(Map.entry(ApiKeys.API_VERSIONS.id, List.of((short) 0, (short) 4)));
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void apiVersionsWithAMalformedClientSoftwareNameIsAnInvalidRequest() {
    RequestHeader header = header(ApiKeys.API_VERSIONS, 3, 1);
    ApiVersionsRequest request = new ApiVersionsRequest(new ApiVersionsRequestData()
        .setClientSoftwareName("no spaces allowed").setClientSoftwareVersion("1.0"), (short) 3);

    send(frame(header, request));

    ApiVersionsResponse response = KafkaFrames.response(nextResponse(), header);
    assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.INVALID_REQUEST);
  }

  @Test
  void requestsAreAnsweredOneAtATimeAndInOrderHoweverTheirAnswersComplete() {
    // given two requests arriving in one read
    RequestHeader first = header(ApiKeys.METADATA, 12, 1);
    RequestHeader second = header(ApiKeys.METADATA, 12, 2);
    ByteBuffer both = ByteBuffer.allocate(4096);
    both.put(frame(first, metadataFor("a", 12))).put(frame(second, metadataFor("b", 12))).flip();

    send(both);

    // then the second waits for the first, and nothing more is read from the socket meanwhile
    assertThat(metadata.calls).hasSize(1);
    assertThat(channel.config().isAutoRead()).isFalse();

    metadata.calls.poll().complete(PendingMetadata.naming("first"));
    channel.runPendingTasks();
    assertThat(this.<MetadataResponse>responseTo(first).topicMetadata())
        .extracting(MetadataResponse.TopicMetadata::topic).containsExactly("first");
    assertThat(metadata.calls).hasSize(1);

    metadata.calls.poll().complete(PendingMetadata.naming("second"));
    channel.runPendingTasks();
    assertThat(this.<MetadataResponse>responseTo(second).topicMetadata())
        .extracting(MetadataResponse.TopicMetadata::topic).containsExactly("second");
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void aVersionOutsideTheHandlersRangeIsAnsweredWithUnsupportedVersionInTheApisOwnErrorField() {
    // Metadata v13 exists in kafka-clients, but we serve 0–12
    RequestHeader header = header(ApiKeys.METADATA, 13, 3);

    send(frame(header, metadataFor("orders", 13)));

    MetadataResponse response = responseTo(header);
    assertThat(response.topicMetadata()).singleElement().satisfies(topic -> {
      assertThat(topic.topic()).isEqualTo("orders");
      assertThat(topic.error()).isEqualTo(Errors.UNSUPPORTED_VERSION);
    });
    assertThat(metadata.calls).isEmpty();
  }

  @Test
  void aHandlersFailureIsAnsweredWithTheErrorItMapsTo() {
    RequestHeader invalid = header(ApiKeys.METADATA, 12, 1);
    RequestHeader broken = header(ApiKeys.METADATA, 12, 2);

    send(frame(invalid, metadataFor("a", 12)));
    metadata.calls.poll().completeExceptionally(new InvalidRequestException("no"));
    channel.runPendingTasks();
    send(frame(broken, metadataFor("b", 12)));
    metadata.calls.poll().completeExceptionally(new IllegalStateException("a bug"));
    channel.runPendingTasks();

    assertThat(this.<MetadataResponse>responseTo(invalid).topicMetadata().iterator().next().error())
        .isEqualTo(Errors.INVALID_REQUEST);
    assertThat(this.<MetadataResponse>responseTo(broken).topicMetadata().iterator().next().error())
        .isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void aFrameArrivingByteByByteIsReassembled() {
    RequestHeader header = header(ApiKeys.API_VERSIONS, 4, 5);
    byte[] bytes = KafkaFrames.bytes(frame(header, new ApiVersionsRequest.Builder().build((short) 4)));

    for (byte b : bytes) {
      assertThat((Object) channel.readOutbound()).isNull();
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
      channel.runPendingTasks();
    }

    ApiVersionsResponse response = KafkaFrames.response(nextResponse(), header);
    assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.NONE);
  }

  @Test
  void aTruncatedFrameIsNeitherAnsweredNorDispatched() {
    byte[] bytes = KafkaFrames.bytes(frame(header(ApiKeys.METADATA, 12, 1), metadataFor("a", 12)));

    channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, bytes.length - 1));
    channel.runPendingTasks();

    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(metadata.calls).isEmpty();
    assertThat(channel.isActive()).as("still waiting for the rest").isTrue();
  }

  @Test
  void theFrameIsReleasedOnceItsRequestWasAnswered() {
    ByteBuf frame = Unpooled.wrappedBuffer(frame(header(ApiKeys.METADATA, 12, 1), metadataFor("a", 12)));

    channel.writeInbound(frame);
    assertThat(frame.refCnt()).as("held while the request is in flight").isPositive();
    metadata.calls.poll().complete(PendingMetadata.naming("a"));
    channel.runPendingTasks();

    assertThat(frame.refCnt()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badInputClosesTheConnectionWithoutAnAnswer(String what, byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    channel.runPendingTasks();

    assertThat(channel.isActive()).isFalse();
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat(metadata.calls).isEmpty();
  }

  static Stream<Arguments> badInput() {
    byte[] metadataBody = KafkaFrames.body(metadataFor("orders", 12));
    // the topics array length (a varint right after the header) says 2^28 topics; the body holds a few bytes
    byte[] corrupt = metadataBody.clone();
    byte[] hugeArray = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    byte[] corruptBody = new byte[hugeArray.length + corrupt.length - 1];
    System.arraycopy(hugeArray, 0, corruptBody, 0, hugeArray.length);
    System.arraycopy(corrupt, 1, corruptBody, hugeArray.length, corrupt.length - 1);
    return Stream.of(
        Arguments.of("a negative size", sizeOnly(-1)),
        // only the four size bytes are sent: the connection closes before anything of the frame is buffered
        Arguments.of("a size above the cap", sizeOnly(MAX_REQUEST_BYTES + 1)),
        Arguments.of("an HTTP request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()),
        Arguments.of("a frame too short for a header", KafkaFrames.bytes(KafkaFrames.sized(
            ByteBuffer.wrap(new byte[] {0, 3})))),
        Arguments.of("an unknown api key", KafkaFrames.bytes(KafkaFrames.sized(
            ByteBuffer.wrap(new byte[] {0x27, 0x0f, 0, 0, 0, 0, 0, 1, 0, 0})))),
        Arguments.of("a known api at a version nobody knows", KafkaFrames.bytes(
            frame(header(ApiKeys.METADATA, 99, 1), metadataBody))),
        Arguments.of("a valid header with a corrupt body", KafkaFrames.bytes(
            frame(header(ApiKeys.METADATA, 12, 1), corruptBody))),
        Arguments.of("an api that is not served", KafkaFrames.bytes(frame(header(ApiKeys.PRODUCE, 9, 1),
            new ProduceRequest(new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000), (short) 9)))));
  }

  private static byte[] sizeOnly(int size) {
    return ByteBuffer.allocate(4).putInt(size).array();
  }

  private static MetadataRequest metadataFor(String topic, int version) {
    return new MetadataRequest.Builder(List.of(topic), true).build((short) version);
  }

  private void send(ByteBuffer bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    channel.runPendingTasks();
  }

  /** The next response frame, without its size prefix. */
  private ByteBuffer nextResponse() {
    ByteBuf frame = channel.readOutbound();
    assertThat(frame).as("a response").isNotNull();
    try {
      int size = frame.readInt();
      assertThat(frame.readableBytes()).isEqualTo(size);
      byte[] content = new byte[size];
      frame.readBytes(content);
      return ByteBuffer.wrap(content);
    } finally {
      frame.release();
    }
  }

  private <R extends org.apache.kafka.common.requests.AbstractResponse> R responseTo(RequestHeader header) {
    return KafkaFrames.response(nextResponse(), header);
  }

  private static List<Map.Entry<Short, List<Short>>> ranges(ApiVersionsResponse response) {
    return response.data().apiKeys().stream()
        .map((ApiVersion v) -> Map.entry(v.apiKey(), List.of(v.minVersion(), v.maxVersion()))).toList();
  }
}
