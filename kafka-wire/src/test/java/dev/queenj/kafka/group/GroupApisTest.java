package dev.queenj.kafka.group;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.cluster.ClusterMembership;
import dev.queenj.core.cluster.ClusterSettings;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.kafka.api.ApiTable;
import dev.queenj.kafka.api.KafkaResponse;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.RequestOrder;
import dev.queenj.kafka.metadata.Brokers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every advertised version of every group API, through the API table over a real coordinator and Postgres; each
 * answer is written at the request's version and read back by kafka-clients, so a field a version cannot carry fails
 * here rather than on a client's connection.
 */
class GroupApisTest {
  private static final byte[] SUBSCRIPTION = {0, 1, 2, 3};
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(2);
  private static ApiTable apis;
  private static ClusterMembership membership;
  private static GroupCoordinator coordinator;
  private final String group = "g-" + UUID.randomUUID();
  private int correlationId;

  @BeforeAll
  static void start() {
    QueenCore core = new QueenCore(db.database(), 4);
    // no initial delay, so a lone member's join is answered at once
    membership = new ClusterMembership(db.vertx(), db.database(), ClusterSettings.DEFAULTS);
    await(membership.join("broker.example:8080", Map.of()));
    coordinator = new GroupCoordinator(db.vertx(), core, new GroupConfig(1, 60_000, 0, 4096), membership);
    apis = ApiTable.of(GroupApis.over(coordinator, core.kafkaTransactions(),
        new Brokers(membership, "broker.example")));
  }

  @AfterAll
  static void leave() {
    await(membership.leave());
  }

  /** As a client does before it sends anything to a group: this instance takes the groups' leases. */
  @BeforeEach
  void coordinate() {
    for (String groupId : List.of(group, "other", "never-existed")) {
      assertThat(coordinator.coordinatorOf(groupId).toCompletableFuture().join()).isEqualTo(membership.instanceId());
    }
  }

  static Stream<Short> versions(ApiKeys api, int min, int max) {
    return IntStream.rangeClosed(min, max).mapToObj(v -> (short) v);
  }

  static Stream<Short> joinVersions() {
    return versions(ApiKeys.JOIN_GROUP, 0, 9);
  }

  static Stream<Short> syncVersions() {
    return versions(ApiKeys.SYNC_GROUP, 0, 5);
  }

  static Stream<Short> heartbeatVersions() {
    return versions(ApiKeys.HEARTBEAT, 0, 4);
  }

  static Stream<Short> leaveVersions() {
    return versions(ApiKeys.LEAVE_GROUP, 0, 5);
  }

  static Stream<Short> commitVersions() {
    return versions(ApiKeys.OFFSET_COMMIT, 2, 9);
  }

  static Stream<Short> fetchVersions() {
    return versions(ApiKeys.OFFSET_FETCH, 1, 9);
  }

  static Stream<Short> findVersions() {
    return versions(ApiKeys.FIND_COORDINATOR, 0, 5);
  }

  static Stream<Short> describeAndListVersions() {
    return versions(ApiKeys.LIST_GROUPS, 0, 5);
  }

  static Stream<Short> deleteVersions() {
    return versions(ApiKeys.DELETE_GROUPS, 0, 2);
  }

  @ParameterizedTest
  @MethodSource("joinVersions")
  void joinGroupAtEveryVersion(short version) {
    JoinGroupResponseData first = join(version, "");
    if (version >= 4) {
      assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
    }
    JoinGroupResponseData answer = version >= 4 ? join(version, first.memberId()) : first;
    assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
    assertThat(answer.generationId()).isEqualTo(1);
    assertThat(answer.leader()).isEqualTo(answer.memberId());
    assertThat(answer.members()).singleElement().satisfies(member -> {
      assertThat(member.memberId()).isEqualTo(answer.memberId());
      assertThat(member.metadata()).isEqualTo(SUBSCRIPTION);
    });
    if (version >= 7) {
      assertThat(answer.protocolType()).isEqualTo("consumer");
    }
    assertThat(answer.protocolName()).isEqualTo("range");
  }

  @ParameterizedTest
  @MethodSource("joinVersions")
  void joinGroupErrorsAtEveryVersion(short version) {
    JoinGroupResponseData answer = send(ApiKeys.JOIN_GROUP, version, joinRequest("unknown-member")
        .setSessionTimeoutMs(0));
    assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
  }

  @ParameterizedTest
  @MethodSource("syncVersions")
  void syncGroupAtEveryVersion(short version) {
    JoinGroupResponseData joined = joinedMember();
    byte[] assignment = new byte[70_000];
    assignment[69_999] = 42;
    SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(group).setMemberId(joined.memberId())
        .setGenerationId(joined.generationId());
    request.assignments().add(new SyncGroupRequestAssignment().setMemberId(joined.memberId())
        .setAssignment(assignment));
    if (version >= 5) {
      request.setProtocolType("consumer").setProtocolName("range");
    }
    SyncGroupResponseData answer = send(ApiKeys.SYNC_GROUP, version, request);
    assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
    assertThat(answer.assignment()).isEqualTo(assignment);

    SyncGroupResponseData stale = send(ApiKeys.SYNC_GROUP, version, request.setGenerationId(7));
    assertThat(Errors.forCode(stale.errorCode())).isEqualTo(Errors.ILLEGAL_GENERATION);
  }

  @ParameterizedTest
  @MethodSource("heartbeatVersions")
  void heartbeatAtEveryVersion(short version) {
    JoinGroupResponseData joined = joinedMember();
    HeartbeatRequestData request = new HeartbeatRequestData().setGroupId(group).setMemberId(joined.memberId())
        .setGenerationId(joined.generationId());
    HeartbeatResponseData answer = send(ApiKeys.HEARTBEAT, version, request);
    assertThat(Errors.forCode(answer.errorCode())).as("assignments pending, the generation is valid")
        .isEqualTo(Errors.NONE);
    HeartbeatResponseData unknown = send(ApiKeys.HEARTBEAT, version, request.setMemberId("nobody"));
    assertThat(Errors.forCode(unknown.errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
  }

  @ParameterizedTest
  @MethodSource("leaveVersions")
  void leaveGroupAtEveryVersion(short version) {
    JoinGroupResponseData joined = joinedMember();
    LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(group);
    if (version >= 3) {
      request.members().add(new MemberIdentity().setMemberId(joined.memberId()));
      request.members().add(new MemberIdentity().setMemberId("nobody"));
    } else {
      request.setMemberId(joined.memberId());
    }
    LeaveGroupResponseData answer = send(ApiKeys.LEAVE_GROUP, version, request);
    assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
    if (version >= 3) {
      assertThat(answer.members()).extracting(m -> Errors.forCode(m.errorCode()))
          .containsExactly(Errors.NONE, Errors.UNKNOWN_MEMBER_ID);
    }
    assertThat(describe((short) 5).groups().get(0).groupState()).isEqualTo("Dead");
  }

  @ParameterizedTest
  @MethodSource("commitVersions")
  void offsetCommitAtEveryVersionIsReadBackByOffsetFetchV8(short version) {
    await(new QueenCore(db.database(), 4).queues().ensure("orders"));
    OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group).setMemberId("")
        .setGenerationIdOrMemberEpoch(-1);
    request.topics().add(new OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
        new OffsetCommitRequestPartition().setPartitionIndex(2).setCommittedOffset(40)
            .setCommittedLeaderEpoch(version >= 6 ? 5 : -1).setCommittedMetadata("meta v" + version),
        new OffsetCommitRequestPartition().setPartitionIndex(9).setCommittedOffset(1))));
    request.topics().add(new OffsetCommitRequestTopic().setName("missing").setPartitions(List.of(
        new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))));

    OffsetCommitResponseData answer = send(ApiKeys.OFFSET_COMMIT, version, request);

    assertThat(answer.topics()).flatExtracting(topic -> topic.partitions().stream()
        .map(p -> topic.name() + "-" + p.partitionIndex() + ":" + Errors.forCode(p.errorCode())).toList())
        .containsExactly("orders-2:NONE", "orders-9:UNKNOWN_TOPIC_OR_PARTITION", "missing-0:UNKNOWN_TOPIC_OR_PARTITION");
    OffsetFetchResponseData fetched = fetch((short) 8, List.of(2, 3));
    assertThat(fetched.groups()).singleElement().satisfies(g -> assertThat(g.topics()).singleElement()
        .satisfies(topic -> {
          assertThat(topic.partitions().get(0).committedOffset()).isEqualTo(40);
          assertThat(topic.partitions().get(0).metadata()).isEqualTo("meta v" + version);
          assertThat(topic.partitions().get(0).committedLeaderEpoch()).isEqualTo(version >= 6 ? 5 : -1);
          assertThat(topic.partitions().get(1).committedOffset()).as("nothing committed").isEqualTo(-1);
        }));
  }

  @ParameterizedTest
  @MethodSource("fetchVersions")
  void offsetFetchAtEveryVersion(short version) {
    await(new QueenCore(db.database(), 4).queues().ensure("orders"));
    OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId(group).setMemberId("")
        .setGenerationIdOrMemberEpoch(-1);
    commit.topics().add(new OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
        new OffsetCommitRequestPartition().setPartitionIndex(1).setCommittedOffset(7).setCommittedLeaderEpoch(3)
            .setCommittedMetadata("m"))));
    send(ApiKeys.OFFSET_COMMIT, (short) 9, commit);

    OffsetFetchResponseData answer = fetch(version, List.of(1));

    if (version >= 8) {
      assertThat(answer.groups()).singleElement().satisfies(g -> {
        assertThat(g.groupId()).isEqualTo(group);
        assertThat(g.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(7);
        assertThat(g.topics().get(0).partitions().get(0).metadata()).isEqualTo("m");
      });
    } else {
      assertThat(answer.topics()).singleElement().satisfies(topic -> {
        assertThat(topic.name()).isEqualTo("orders");
        assertThat(topic.partitions().get(0).committedOffset()).isEqualTo(7);
        assertThat(topic.partitions().get(0).metadata()).isEqualTo("m");
        assertThat(topic.partitions().get(0).committedLeaderEpoch()).isEqualTo(version >= 5 ? 3 : -1);
      });
    }
  }

  @ParameterizedTest
  @MethodSource("findVersions")
  void findCoordinatorAtEveryVersion(short version) {
    FindCoordinatorRequestData request = new FindCoordinatorRequestData();
    if (version >= 4) {
      request.setCoordinatorKeys(List.of(group, "other"));
    } else {
      request.setKey(group);
    }
    FindCoordinatorResponseData answer = send(ApiKeys.FIND_COORDINATOR, version, request);
    if (version >= 4) {
      assertThat(answer.coordinators()).extracting(c -> c.key() + "@" + c.host() + ":" + c.port() + "/" + c.nodeId())
          .containsExactly(group + "@broker.example:9092/" + membership.nodeId(),
              "other@broker.example:9092/" + membership.nodeId());
    } else {
      assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
      assertThat(answer.host()).isEqualTo("broker.example");
      assertThat(answer.port()).isEqualTo(9092);
      assertThat(answer.nodeId()).isEqualTo(membership.nodeId());
    }
  }

  @ParameterizedTest
  @MethodSource("describeAndListVersions")
  void describeAndListGroupsAtEveryVersion(short version) {
    JoinGroupResponseData joined = joinedMember();

    DescribeGroupsResponseData described = describe(version);
    assertThat(described.groups()).singleElement().satisfies(g -> {
      assertThat(g.groupState()).isEqualTo("CompletingRebalance");
      assertThat(g.protocolType()).isEqualTo("consumer");
      assertThat(g.members()).singleElement().satisfies(m -> {
        assertThat(m.memberId()).isEqualTo(joined.memberId());
        assertThat(m.clientHost()).isEqualTo("/127.0.0.1");
      });
    });

    ListGroupsRequestData list = new ListGroupsRequestData();
    if (version >= 4) {
      list.setStatesFilter(List.of("completingrebalance"));
    }
    ListGroupsResponseData listed = send(ApiKeys.LIST_GROUPS, version, list);
    assertThat(listed.groups()).extracting(ListedGroup::groupId).contains(group);
    if (version >= 4) {
      ListGroupsResponseData stable = send(ApiKeys.LIST_GROUPS, version,
          new ListGroupsRequestData().setStatesFilter(List.of("Stable")));
      assertThat(stable.groups()).extracting(ListedGroup::groupId).doesNotContain(group);
    }
  }

  @ParameterizedTest
  @MethodSource("deleteVersions")
  void deleteGroupsAtEveryVersion(short version) {
    joinedMember();
    DeleteGroupsResponseData answer = send(ApiKeys.DELETE_GROUPS, version,
        new DeleteGroupsRequestData().setGroupsNames(List.of(group, "never-existed")));
    assertThat(answer.results()).extracting(r -> r.groupId() + ":" + Errors.forCode(r.errorCode()))
        .containsExactly(group + ":NON_EMPTY_GROUP", "never-existed:GROUP_ID_NOT_FOUND");
  }

  @Test
  void offsetFetchV8AnswersSeveralGroupsAndEverythingCommittedWhenNoTopicsAreNamed() {
    await(new QueenCore(db.database(), 4).queues().ensure("orders"));
    OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId(group).setMemberId("")
        .setGenerationIdOrMemberEpoch(-1);
    commit.topics().add(new OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
        new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(3),
        new OffsetCommitRequestPartition().setPartitionIndex(3).setCommittedOffset(4).setCommittedMetadata(null))));
    send(ApiKeys.OFFSET_COMMIT, (short) 9, commit);
    OffsetFetchRequestData request = new OffsetFetchRequestData();
    request.groups().add(new OffsetFetchRequestGroup().setGroupId(group).setTopics(null));
    request.groups().add(new OffsetFetchRequestGroup().setGroupId("other").setTopics(null));

    OffsetFetchResponseData answer = send(ApiKeys.OFFSET_FETCH, (short) 9, request);

    assertThat(answer.groups()).extracting(g -> g.groupId()).containsExactly(group, "other");
    assertThat(answer.groups().get(0).topics()).singleElement().satisfies(topic -> assertThat(topic.partitions())
        .extracting(p -> p.partitionIndex() + "@" + p.committedOffset() + ":" + p.metadata())
        .containsExactly("0@3:", "3@4:"));
    assertThat(answer.groups().get(1).topics()).isEmpty();
  }

  @Test
  void anEmptyGroupIdIsInvalid() {
    JoinGroupResponseData answer = send(ApiKeys.JOIN_GROUP, (short) 9, joinRequest("").setGroupId(""));
    assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
  }

  private JoinGroupResponseData joinedMember() {
    JoinGroupResponseData first = join((short) 9, "");
    return join((short) 9, first.memberId());
  }

  private JoinGroupResponseData join(short version, String memberId) {
    return send(ApiKeys.JOIN_GROUP, version, joinRequest(memberId));
  }

  private JoinGroupRequestData joinRequest(String memberId) {
    JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
        .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocolType("consumer");
    request.protocols().add(new JoinGroupRequestProtocol().setName("range").setMetadata(SUBSCRIPTION));
    return request;
  }

  private DescribeGroupsResponseData describe(short version) {
    return send(ApiKeys.DESCRIBE_GROUPS, version, new DescribeGroupsRequestData().setGroups(List.of(group)));
  }

  private OffsetFetchResponseData fetch(short version, List<Integer> partitions) {
    OffsetFetchRequestData request = new OffsetFetchRequestData();
    if (version >= 8) {
      request.groups().add(new OffsetFetchRequestGroup().setGroupId(group).setTopics(List.of(
          new OffsetFetchRequestTopics().setName("orders").setPartitionIndexes(partitions))));
    } else {
      request.setGroupId(group).setTopics(List.of(
          new OffsetFetchRequestTopic().setName("orders").setPartitionIndexes(partitions)));
    }
    return send(ApiKeys.OFFSET_FETCH, version, request);
  }

  /** Dispatches through the table, then writes the answer at {@code version} and reads it back as a client. */
  @SuppressWarnings("unchecked")
  private <R extends ApiMessage> R send(ApiKeys api, short version, ApiMessage request) {
    RequestContext context = new RequestContext(new RequestHeader(api, version, "client", ++correlationId),
        new InetSocketAddress("127.0.0.1", 50_000), 9092, new RequestOrder(), KafkaPrincipal.ANONYMOUS);
    KafkaResponse response;
    try {
      response = apis.dispatch(context, request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    ObjectSerializationCache cache = new ObjectSerializationCache();
    ByteBuffer buffer = ByteBuffer.allocate(response.body().size(cache, version));
    response.body().write(new ByteBufferAccessor(buffer), cache, version);
    buffer.flip();
    return (R) AbstractResponse.parseResponse(api, new ByteBufferAccessor(buffer), version).data();
  }
}
