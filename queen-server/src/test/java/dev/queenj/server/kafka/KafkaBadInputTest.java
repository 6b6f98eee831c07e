package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClients.queueNames;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.kafka.testing.KafkaFrames;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.message.AlterReplicaLogDirsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterReplicaLogDirsRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Design principle 5 on the Kafka port: a malformed frame closes that connection only, nothing is created, and every
 * other connection carries on. Each case would, if it were read as a valid request, auto-create the topic "ghost".
 */
@ExtendWith(RunningServer.class)
class KafkaBadInputTest {
  private static final String GHOST = "ghost";
  private final TestServer server;

  KafkaBadInputTest(TestServer server) {
    this.server = server;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void closesOnlyTheOffendingConnectionAndChangesNothing(String what, byte[] bytes, boolean thenEndOfStream) {
    try (KafkaConnection bystander = KafkaConnection.open(server.kafkaPort());
        KafkaConnection offender = KafkaConnection.open(server.kafkaPort())) {
      // given a connection that already works
      assertThat(Errors.forCode(bystander.<ApiVersionsResponse>roundTrip(
          new ApiVersionsRequest.Builder().build((short) 4)).data().errorCode())).isEqualTo(Errors.NONE);

      // when another one sends bad input
      offender.send(bytes);
      if (thenEndOfStream) {
        offender.finishSending();
      }

      // then only that one is closed, and nothing was created
      assertThat(offender.closedByServer()).as("closed by the server").isTrue();
      MetadataResponse all = bystander.roundTrip(MetadataRequest.Builder.allTopics().build((short) 12));
      assertThat(all.topicMetadata()).isEmpty();
      assertThat(queueNames(server)).doesNotContain(GHOST);
    }
  }

  static Stream<Arguments> badInput() {
    byte[] ghostRequest = KafkaFrames.bytes(KafkaFrames.frame(KafkaFrames.header(ApiKeys.METADATA, 12, 1),
        new MetadataRequest.Builder(List.of(GHOST), true).build((short) 12)));
    return Stream.of(
        Arguments.of("a truncated frame, then end of stream",
            java.util.Arrays.copyOf(ghostRequest, ghostRequest.length - 3), true),
        Arguments.of("garbage bytes in a frame", KafkaFrames.bytes(KafkaFrames.sized(ByteBuffer.wrap(
            new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3, 4, 5, 6, 7, 8}))), false),
        Arguments.of("an HTTP request", "GET /ghost HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII), false),
        Arguments.of("a negative length prefix", prefix(-42), false),
        Arguments.of("a length prefix above the cap", prefix(KafkaConfig.DEFAULT_MAX_REQUEST_BYTES + 1), false),
        Arguments.of("the largest length prefix", prefix(Integer.MAX_VALUE), false),
        Arguments.of("an unknown api key", unknownApiKey(ghostRequest), false),
        Arguments.of("a valid header with a corrupt body", corruptBody(), false),
        Arguments.of("an api that is not served", KafkaFrames.bytes(KafkaFrames.frame(
            KafkaFrames.header(ApiKeys.ALTER_REPLICA_LOG_DIRS, 1, 1),
            new AlterReplicaLogDirsRequest.Builder(new AlterReplicaLogDirsRequestData()).build((short) 1))), false));
  }

  private static byte[] prefix(int size) {
    return ByteBuffer.allocate(Integer.BYTES).putInt(size).array();
  }

  /** The ghost request with api key 1000, which no Kafka version defines. */
  private static byte[] unknownApiKey(byte[] ghostRequest) {
    byte[] bytes = ghostRequest.clone();
    ByteBuffer.wrap(bytes).putShort(Integer.BYTES, (short) 1000);
    return bytes;
  }

  /** A Metadata v12 header, then a body whose topic array claims 2^28 entries in a handful of bytes. */
  private static byte[] corruptBody() {
    byte[] body = KafkaFrames.body(new MetadataRequest.Builder(List.of(GHOST), true).build((short) 12));
    byte[] corrupt = new byte[body.length + 4];
    byte[] hugeArrayLength = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    System.arraycopy(hugeArrayLength, 0, corrupt, 0, hugeArrayLength.length);
    System.arraycopy(body, 1, corrupt, hugeArrayLength.length, body.length - 1);
    return KafkaFrames.bytes(KafkaFrames.frame(KafkaFrames.header(ApiKeys.METADATA, 12, 1), corrupt));
  }
}
