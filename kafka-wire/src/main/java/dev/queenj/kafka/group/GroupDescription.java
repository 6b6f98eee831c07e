package dev.queenj.kafka.group;

import java.util.List;

/**
 * A group as DescribeGroups and ListGroups show it. A group known only by its committed offsets is Empty with an
 * empty protocol type, as Kafka shows a group that only ever committed ("simple" consumers).
 */
record GroupDescription(String groupId, String state, String protocolType, String protocolName,
    List<Member> members) {

  record Member(String memberId, String groupInstanceId, String clientId, String clientHost, byte[] metadata,
      byte[] assignment) {}

  static GroupDescription empty(String groupId) {
    return new GroupDescription(groupId, new GroupState.Empty().kafkaName(), "", "", List.of());
  }
}
