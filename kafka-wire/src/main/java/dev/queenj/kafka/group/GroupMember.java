package dev.queenj.kafka.group;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * A member of one {@link ClassicGroup}, owned and mutated only by it: what it offered when it last joined, the
 * assignment the leader gave it, and the requests of it the group has parked until the rebalance moves on.
 */
final class GroupMember {
  private static final byte[] NO_ASSIGNMENT = new byte[0];

  final String memberId;
  final String groupInstanceId;
  String clientId;
  String clientHost;
  int sessionTimeoutMs;
  int rebalanceTimeoutMs;
  List<Protocol> protocols;
  byte[] assignment = NO_ASSIGNMENT;
  long sessionDeadline;
  CompletableFuture<JoinGroupResponseData> awaitingJoin;
  CompletableFuture<SyncGroupResponseData> awaitingSync;

  GroupMember(String memberId, JoinRequest join) {
    this.memberId = memberId;
    this.groupInstanceId = join.groupInstanceId();
    update(join);
  }

  /** The same member under a new id: a static member that rejoined without its old id replaces it. */
  GroupMember(String memberId, GroupMember replaced, JoinRequest join) {
    this(memberId, join);
    this.assignment = replaced.assignment;
  }

  void update(JoinRequest join) {
    clientId = join.clientId();
    clientHost = join.clientHost();
    sessionTimeoutMs = join.sessionTimeoutMs();
    rebalanceTimeoutMs = join.rebalanceTimeoutMs();
    protocols = join.protocols();
  }

  void clearAssignment() {
    assignment = NO_ASSIGNMENT;
  }

  /** Whether the group may expire it: a member with a parked JoinGroup or SyncGroup is alive by definition. */
  boolean expired(long now) {
    return awaitingJoin == null && awaitingSync == null && sessionDeadline <= now;
  }

  boolean offersSameProtocols(List<Protocol> offered) {
    if (offered.size() != protocols.size()) {
      return false;
    }
    for (int i = 0; i < offered.size(); i++) {
      Protocol mine = protocols.get(i);
      Protocol theirs = offered.get(i);
      if (!mine.name().equals(theirs.name()) || !Arrays.equals(mine.metadata(), theirs.metadata())) {
        return false;
      }
    }
    return true;
  }

  byte[] metadata(String protocol) {
    for (Protocol offered : protocols) {
      if (offered.name().equals(protocol)) {
        return offered.metadata();
      }
    }
    throw new IllegalStateException("member " + memberId + " does not offer " + protocol);
  }
}
