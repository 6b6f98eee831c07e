package dev.queenj.server.kafka;

import dev.queenj.kafka.testing.KafkaConnection;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;

/**
 * One consumer-group member speaking the classic group protocol over its own connection with kafka-clients'
 * request classes, and consumer-protocol subscriptions and assignments, as a KafkaConsumer would. Not thread-safe:
 * one thread per member.
 */
final class GroupMemberClient implements AutoCloseable {
  static final int SESSION_TIMEOUT_MS = 6_000;
  static final int REBALANCE_TIMEOUT_MS = 20_000;

  private final KafkaConnection connection;
  private final String groupId;
  private final String groupInstanceId;
  private final List<String> topics;
  private final int sessionTimeoutMs;
  String memberId = "";
  int generation = -1;
  JoinGroupResponseData lastJoin;

  GroupMemberClient(int port, String groupId, String groupInstanceId, List<String> topics) {
    this(port, groupId, groupInstanceId, topics, SESSION_TIMEOUT_MS);
  }

  GroupMemberClient(int port, String groupId, String groupInstanceId, List<String> topics, int sessionTimeoutMs) {
    this.connection = KafkaConnection.open(port);
    this.groupId = groupId;
    this.groupInstanceId = groupInstanceId;
    this.topics = topics;
    this.sessionTimeoutMs = sessionTimeoutMs;
  }

  /** Joins as a v9 client does: a dynamic member first learns its id (MEMBER_ID_REQUIRED), then joins with it. */
  JoinGroupResponseData join() {
    JoinGroupResponseData answer = joinOnce();
    if (Errors.forCode(answer.errorCode()) == Errors.MEMBER_ID_REQUIRED) {
      memberId = answer.memberId();
      answer = joinOnce();
    }
    if (Errors.forCode(answer.errorCode()) == Errors.NONE) {
      memberId = answer.memberId();
      generation = answer.generationId();
    }
    lastJoin = answer;
    return answer;
  }

  private JoinGroupResponseData joinOnce() {
    JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
    protocols.add(new JoinGroupRequestProtocol().setName("range")
        .setMetadata(bytes(ConsumerProtocol.serializeSubscription(new Subscription(topics)))));
    JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(groupId).setMemberId(memberId)
        .setGroupInstanceId(groupInstanceId).setSessionTimeoutMs(sessionTimeoutMs)
        .setRebalanceTimeoutMs(REBALANCE_TIMEOUT_MS).setProtocolType("consumer").setProtocols(protocols);
    JoinGroupResponse response = connection.roundTrip(new JoinGroupRequest.Builder(request).build((short) 9));
    return response.data();
  }

  /** SyncGroup; the leader passes every member's partitions. Answers this member's partitions, or the error. */
  SyncOutcome sync(Map<String, List<TopicPartition>> assignments) {
    SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(groupId).setMemberId(memberId)
        .setGroupInstanceId(groupInstanceId).setGenerationId(generation).setProtocolType("consumer")
        .setProtocolName("range");
    assignments.forEach((member, partitions) -> request.assignments().add(new SyncGroupRequestAssignment()
        .setMemberId(member).setAssignment(bytes(ConsumerProtocol.serializeAssignment(new Assignment(partitions))))));
    SyncGroupResponse response = connection.roundTrip(new SyncGroupRequest.Builder(request).build((short) 5));
    Errors error = Errors.forCode(response.data().errorCode());
    // an empty assignment is how a leader tells a member it gets nothing (Kafka's own client reads it that way too)
    return new SyncOutcome(error, error == Errors.NONE && response.data().assignment().length > 0
        ? ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(response.data().assignment())).partitions()
        : List.of());
  }

  record SyncOutcome(Errors error, List<TopicPartition> partitions) {}

  Errors heartbeat() {
    HeartbeatResponse response = connection.roundTrip(new HeartbeatRequest.Builder(new HeartbeatRequestData()
        .setGroupId(groupId).setMemberId(memberId).setGroupInstanceId(groupInstanceId)
        .setGenerationId(generation)).build((short) 4));
    return response.error();
  }

  Errors leave() {
    LeaveGroupResponse response = connection.roundTrip(new LeaveGroupRequest.Builder(groupId,
        List.of(new MemberIdentity().setMemberId(memberId).setGroupInstanceId(groupInstanceId))).build((short) 5));
    return Errors.forCode(response.data().members().get(0).errorCode());
  }

  KafkaConnection connection() {
    return connection;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  @Override
  public void close() {
    connection.close();
  }
}
