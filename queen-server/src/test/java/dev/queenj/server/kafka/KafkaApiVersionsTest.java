package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.kafka.testing.KafkaFrames;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ApiVersions over a real socket, with requests and responses serialized by kafka-clients' own classes. */
@ExtendWith(RunningServer.class)
class KafkaApiVersionsTest {
  /** Rule zero: exactly what this slice fully implements, nothing else. */
  private static final List<Map.Entry<Short, List<Short>>> ADVERTISED = List.of(
      Map.entry(ApiKeys.PRODUCE.id, List.of((short) 0, (short) 12)),
      Map.entry(ApiKeys.FETCH.id, List.of((short) 4, (short) 12)),
      Map.entry(ApiKeys.LIST_OFFSETS.id, List.of((short) 1, (short) 7)),
      Map.entry(ApiKeys.METADATA.id, List.of((short) 0, (short) 12)),
      Map.entry(ApiKeys.OFFSET_COMMIT.id, List.of((short) 2, (short) 9)),
      Map.entry(ApiKeys.OFFSET_FETCH.id, List.of((short) 1, (short) 9)),
      Map.entry(ApiKeys.FIND_COORDINATOR.id, List.of((short) 0, (short) 5)),
      Map.entry(ApiKeys.JOIN_GROUP.id, List.of((short) 0, (short) 9)),
      Map.entry(ApiKeys.HEARTBEAT.id, List.of((short) 0, (short) 4)),
      Map.entry(ApiKeys.LEAVE_GROUP.id, List.of((short) 0, (short) 5)),
      Map.entry(ApiKeys.SYNC_GROUP.id, List.of((short) 0, (short) 5)),
      Map.entry(ApiKeys.DESCRIBE_GROUPS.id, List.of((short) 0, (short) 5)),
      Map.entry(ApiKeys.LIST_GROUPS.id, List.of((short) 0, (short) 5)),
      Map.entry(ApiKeys.SASL_HANDSHAKE.id, List.of((short) 0, (short) 1)),
      Map.entry(ApiKeys.API_VERSIONS.id, List.of((short) 0, (short) 4)),
      Map.entry(ApiKeys.CREATE_TOPICS.id, List.of((short) 2, (short) 7)),
      Map.entry(ApiKeys.DELETE_TOPICS.id, List.of((short) 1, (short) 6)),
      Map.entry(ApiKeys.DELETE_RECORDS.id, List.of((short) 0, (short) 2)),
      Map.entry(ApiKeys.INIT_PRODUCER_ID.id, List.of((short) 0, (short) 5)),
      Map.entry(ApiKeys.ADD_PARTITIONS_TO_TXN.id, List.of((short) 0, (short) 3)),
      Map.entry(ApiKeys.ADD_OFFSETS_TO_TXN.id, List.of((short) 0, (short) 4)),
      Map.entry(ApiKeys.END_TXN.id, List.of((short) 0, (short) 4)),
      Map.entry(ApiKeys.TXN_OFFSET_COMMIT.id, List.of((short) 0, (short) 4)),
      Map.entry(ApiKeys.DESCRIBE_ACLS.id, List.of((short) 1, (short) 3)),
      Map.entry(ApiKeys.CREATE_ACLS.id, List.of((short) 1, (short) 3)),
      Map.entry(ApiKeys.DELETE_ACLS.id, List.of((short) 1, (short) 3)),
      Map.entry(ApiKeys.DESCRIBE_CONFIGS.id, List.of((short) 1, (short) 4)),
      Map.entry(ApiKeys.ALTER_CONFIGS.id, List.of((short) 0, (short) 2)),
      Map.entry(ApiKeys.DESCRIBE_LOG_DIRS.id, List.of((short) 1, (short) 4)),
      Map.entry(ApiKeys.SASL_AUTHENTICATE.id, List.of((short) 0, (short) 2)),
      Map.entry(ApiKeys.CREATE_PARTITIONS.id, List.of((short) 0, (short) 3)),
      Map.entry(ApiKeys.DELETE_GROUPS.id, List.of((short) 0, (short) 2)),
      Map.entry(ApiKeys.ELECT_LEADERS.id, List.of((short) 0, (short) 2)),
      Map.entry(ApiKeys.INCREMENTAL_ALTER_CONFIGS.id, List.of((short) 0, (short) 1)),
      Map.entry(ApiKeys.ALTER_PARTITION_REASSIGNMENTS.id, List.of((short) 0, (short) 1)),
      Map.entry(ApiKeys.LIST_PARTITION_REASSIGNMENTS.id, List.of((short) 0, (short) 0)),
      Map.entry(ApiKeys.OFFSET_DELETE.id, List.of((short) 0, (short) 0)),
      Map.entry(ApiKeys.DESCRIBE_CLIENT_QUOTAS.id, List.of((short) 0, (short) 1)),
      Map.entry(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS.id, List.of((short) 0, (short) 0)),
      Map.entry(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS.id, List.of((short) 0, (short) 0)),
      Map.entry(ApiKeys.DESCRIBE_CLUSTER.id, List.of((short) 0, (short) 1)),
      Map.entry(ApiKeys.DESCRIBE_PRODUCERS.id, List.of((short) 0, (short) 0)),
      Map.entry(ApiKeys.DESCRIBE_TRANSACTIONS.id, List.of((short) 0, (short) 0)),
      Map.entry(ApiKeys.LIST_TRANSACTIONS.id, List.of((short) 0, (short) 1)),
      Map.entry(ApiKeys.DESCRIBE_TOPIC_PARTITIONS.id, List.of((short) 0, (short) 0)));

  private final TestServer server;

  KafkaApiVersionsTest(TestServer server) {
    this.server = server;
  }

  @ParameterizedTest
  @ValueSource(shorts = {0, 1, 2, 3, 4})
  void everyVersionAdvertisesExactlyWhatIsServed(short version) {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      ApiVersionsResponse response = connection.roundTrip(new ApiVersionsRequest.Builder().build(version));

      assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.NONE);
      assertThat(ranges(response)).isEqualTo(ADVERTISED);
    }
  }

  @Test
  void aVersionAboveOurMaxIsAnsweredInV0AndTheClientCanRetryLower() {
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      // given a client newer than us, whose v5 body we cannot know
      RequestHeader tooNew = connection.header(ApiKeys.API_VERSIONS, 5);
      connection.send(KafkaFrames.frame(tooNew, new byte[] {2, 'x', 2, '1', 0}));

      // then the answer is in v0, error 35, listing our own ApiVersions range
      ApiVersionsResponse refusal = KafkaFrames.response(connection.receive(), tooNew, (short) 0);
      assertThat(Errors.forCode(refusal.data().errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
      assertThat(ranges(refusal)).containsExactly(Map.entry(ApiKeys.API_VERSIONS.id, List.of((short) 0, (short) 4)));

      // and the same connection serves the retry at our max
      ApiVersionsResponse retried = connection.roundTrip(new ApiVersionsRequest.Builder().build((short) 4));
      assertThat(ranges(retried)).isEqualTo(ADVERTISED);
    }
  }

  private static List<Map.Entry<Short, List<Short>>> ranges(ApiVersionsResponse response) {
    return response.data().apiKeys().stream()
        .map((ApiVersion v) -> Map.entry(v.apiKey(), List.of(v.minVersion(), v.maxVersion()))).toList();
  }
}
