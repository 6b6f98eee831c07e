package dev.queenj.kafka.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * One classic consumer group's membership and rebalance protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), as
 * plain synchronous logic over an explicit clock: every method takes {@code now} and nothing here schedules,
 * sleeps or locks. The caller runs all work of one group serially and calls {@link #tick} at {@link #nextDeadline}.
 * This class holds the phases (members joining, a generation formed, the leader's assignments handed out); the
 * deadlines that end them are {@link GroupDeadlines}', and the choice of protocol is {@link ProtocolChoice}'s.
 *
 * <p>Requests that must wait for the rebalance (a JoinGroup until every member rejoined, a SyncGroup until the leader
 * sent the assignments) get a future that a later call completes; all others get a completed one. The rules follow
 * Kafka's classic group coordinator, so Kafka clients see the errors and retries they were written for; in particular
 * a member that joins while others are waiting for their assignments sends those back to rejoin with
 * REBALANCE_IN_PROGRESS, never with UNKNOWN_MEMBER_ID.
 */
final class ClassicGroup {
  private static final byte[] NO_METADATA = new byte[0];

  private final String groupId;
  private final GroupDeadlines deadlines;
  /** System.nanoTime() at creation: how the coordinator tells a group of a lapsed lease from one of the current. */
  private final long createdNanos = System.nanoTime();
  private final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
  /** group.instance.id → member id of the static members */
  private final Map<String, String> staticMembers = new HashMap<>();
  private GroupState state = new GroupState.Empty();
  private int generation;
  private String protocolType;
  private String protocolName;
  private String leaderId;

  ClassicGroup(String groupId, GroupConfig config) {
    this.groupId = groupId;
    this.deadlines = new GroupDeadlines(config);
  }

  String groupId() {
    return groupId;
  }

  long createdNanos() {
    return createdNanos;
  }

  GroupState state() {
    return state;
  }

  int generation() {
    return generation;
  }

  /** Whether nothing of this group needs to stay in memory: no members, none about to join. */
  boolean forgettable() {
    return members.isEmpty() && deadlines.nonePending();
  }

  boolean hasMembers() {
    return !members.isEmpty();
  }

  // ---- JoinGroup

  CompletableFuture<JoinGroupResponseData> join(JoinRequest join, long now) {
    CompletableFuture<JoinGroupResponseData> answer = new CompletableFuture<>();
    if (!ProtocolChoice.accepts(join, members.values(), protocolType)) {
      answer.complete(joinError(join.memberId(), Errors.INCONSISTENT_GROUP_PROTOCOL));
    } else if (join.memberId().isEmpty()) {
      joinWithoutId(join, now, answer);
    } else {
      joinWithId(join, now, answer);
    }
    return answer;
  }

  private void joinWithoutId(JoinRequest join, long now, CompletableFuture<JoinGroupResponseData> answer) {
    if (join.groupInstanceId() != null) {
      String newId = join.groupInstanceId() + "-" + UUID.randomUUID();
      String known = staticMembers.get(join.groupInstanceId());
      if (known != null) {
        replaceStaticMember(members.get(known), newId, join, now, answer);
      } else {
        addMember(newId, join, now, answer);
      }
    } else if (join.requireKnownMemberId()) {
      // Two steps (KIP-394): the id is handed out first, so a client whose JoinGroup timed out rejoins as the
      // member it was given, not as one more member that the group would wait for.
      String newId = join.clientId() + "-" + UUID.randomUUID();
      deadlines.awaitJoinWithId(newId, now + join.sessionTimeoutMs());
      answer.complete(joinError(newId, Errors.MEMBER_ID_REQUIRED));
    } else {
      addMember(join.clientId() + "-" + UUID.randomUUID(), join, now, answer);
    }
  }

  private void joinWithId(JoinRequest join, long now, CompletableFuture<JoinGroupResponseData> answer) {
    String memberId = join.memberId();
    if (deadlines.takePending(memberId)) {
      addMember(memberId, join, now, answer);
      return;
    }
    GroupMember member = members.get(memberId);
    Errors invalid = validateMember(memberId, join.groupInstanceId());
    if (invalid != Errors.NONE) {
      answer.complete(joinError(memberId, invalid));
      return;
    }
    if (state instanceof GroupState.PreparingRebalance) {
      member.update(join);
      park(member, answer);
      tryCompleteJoin(now);
    } else if (state instanceof GroupState.CompletingRebalance) {
      if (member.offersSameProtocols(join.protocols())) {
        // a retry of a JoinGroup whose answer was lost: the same answer again
        answer.complete(joinAnswer(member, false));
      } else {
        member.update(join);
        park(member, answer);
        rebalance(now);
      }
    } else if (memberId.equals(leaderId) || !member.offersSameProtocols(join.protocols())) {
      // a leader rejoins when its subscription's metadata changed; anyone may change what it subscribes to
      member.update(join);
      park(member, answer);
      rebalance(now);
    } else {
      answer.complete(joinAnswer(member, false));
    }
  }

  private void replaceStaticMember(GroupMember old, String newId, JoinRequest join, long now,
      CompletableFuture<JoinGroupResponseData> answer) {
    boolean sameProtocols = old.offersSameProtocols(join.protocols());
    // The old incarnation is fenced: whatever it still waits for is answered, so it stops and does not come back.
    members.remove(old.memberId);
    if (old.awaitingJoin != null) {
      old.awaitingJoin.complete(joinError(old.memberId, Errors.FENCED_INSTANCE_ID));
    }
    if (old.awaitingSync != null) {
      old.awaitingSync.complete(syncError(Errors.FENCED_INSTANCE_ID));
    }
    GroupMember member = new GroupMember(newId, old, join);
    members.put(newId, member);
    staticMembers.put(join.groupInstanceId(), newId);
    boolean leader = old.memberId.equals(leaderId);
    if (leader) {
      leaderId = newId;
    }
    GroupDeadlines.renewSession(member, now);
    if (state instanceof GroupState.Stable && sameProtocols && (!leader || join.supportsSkipAssignment())) {
      // A restarted static member takes its old place and assignment without a rebalance (KIP-345). A leader learns
      // the members but is told not to assign again; before v9 it could not be told, so it rebalances instead.
      answer.complete(joinAnswer(member, leader).setSkipAssignment(leader));
      return;
    }
    park(member, answer);
    if (state instanceof GroupState.PreparingRebalance) {
      tryCompleteJoin(now);
    } else {
      rebalance(now);
    }
  }

  private void addMember(String memberId, JoinRequest join, long now,
      CompletableFuture<JoinGroupResponseData> answer) {
    GroupMember member = new GroupMember(memberId, join);
    members.put(memberId, member);
    if (join.groupInstanceId() != null) {
      staticMembers.put(join.groupInstanceId(), memberId);
    }
    if (members.size() == 1) {
      protocolType = join.protocolType();
    }
    park(member, answer);
    if (state instanceof GroupState.PreparingRebalance preparing) {
      state = deadlines.afterJoin(preparing, now);
      tryCompleteJoin(now);
    } else {
      rebalance(now);
    }
  }

  private static void park(GroupMember member, CompletableFuture<JoinGroupResponseData> answer) {
    if (member.awaitingJoin != null && member.awaitingJoin != answer) {
      // the same member joined again before its previous JoinGroup was answered; only the latest gets the generation
      member.awaitingJoin.complete(joinError(member.memberId, Errors.REBALANCE_IN_PROGRESS));
    }
    member.awaitingJoin = answer;
  }

  // ---- rebalancing

  /** Starts a new rebalance: members waiting for assignments of the generation now abandoned are sent to rejoin. */
  private void rebalance(long now) {
    if (state instanceof GroupState.CompletingRebalance) {
      for (GroupMember member : members.values()) {
        member.clearAssignment();
        if (member.awaitingSync != null) {
          member.awaitingSync.complete(syncError(Errors.REBALANCE_IN_PROGRESS));
          member.awaitingSync = null;
        }
      }
    }
    state = deadlines.joinPhase(state, members.values(), now);
    tryCompleteJoin(now);
  }

  private void tryCompleteJoin(long now) {
    if (state instanceof GroupState.PreparingRebalance preparing && !preparing.initialDelay()
        && deadlines.nonePending() && members.values().stream().allMatch(m -> m.awaitingJoin != null)) {
      completeJoin(now);
    }
  }

  /** Forms the next generation from the members that rejoined; the others are out. */
  private void completeJoin(long now) {
    for (GroupMember member : List.copyOf(members.values())) {
      if (member.awaitingJoin == null) {
        remove(member, Errors.UNKNOWN_MEMBER_ID);
      }
    }
    generation++;
    if (members.isEmpty()) {
      state = new GroupState.Empty();
      protocolType = null;
      protocolName = null;
      leaderId = null;
      return;
    }
    protocolName = ProtocolChoice.select(members.values());
    if (leaderId == null || !members.containsKey(leaderId)) {
      leaderId = members.keySet().iterator().next();
    }
    state = new GroupState.CompletingRebalance();
    for (GroupMember member : members.values()) {
      GroupDeadlines.renewSession(member, now);
      CompletableFuture<JoinGroupResponseData> answer = member.awaitingJoin;
      member.awaitingJoin = null;
      answer.complete(joinAnswer(member, member.memberId.equals(leaderId)));
    }
  }

  private JoinGroupResponseData joinAnswer(GroupMember member, boolean withMembers) {
    JoinGroupResponseData answer = new JoinGroupResponseData().setErrorCode(Errors.NONE.code())
        .setGenerationId(generation).setProtocolType(protocolType).setProtocolName(protocolName)
        .setLeader(leaderId).setMemberId(member.memberId);
    if (withMembers) {
      for (GroupMember each : members.values()) {
        answer.members().add(new JoinGroupResponseMember().setMemberId(each.memberId)
            .setGroupInstanceId(each.groupInstanceId).setMetadata(each.metadata(protocolName)));
      }
    }
    return answer;
  }

  private static JoinGroupResponseData joinError(String memberId, Errors error) {
    return new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(-1).setMemberId(memberId)
        .setProtocolName(null).setLeader("");
  }

  // ---- SyncGroup

  CompletableFuture<SyncGroupResponseData> sync(String memberId, String groupInstanceId, int generationId,
      String protocolType, String protocolName, Map<String, byte[]> assignments, long now) {
    CompletableFuture<SyncGroupResponseData> answer = new CompletableFuture<>();
    Errors invalid = validateGeneration(memberId, groupInstanceId, generationId);
    if (invalid == Errors.NONE && (protocolType != null && !protocolType.equals(this.protocolType)
        || protocolName != null && !protocolName.equals(this.protocolName))) {
      invalid = Errors.INCONSISTENT_GROUP_PROTOCOL;
    }
    if (invalid == Errors.NONE && state instanceof GroupState.PreparingRebalance) {
      invalid = Errors.REBALANCE_IN_PROGRESS;
    }
    if (invalid != Errors.NONE) {
      answer.complete(syncError(invalid));
      return answer;
    }
    GroupMember member = members.get(memberId);
    GroupDeadlines.renewSession(member, now);
    if (state instanceof GroupState.Stable) {
      answer.complete(syncAnswer(member));
      return answer;
    }
    if (member.awaitingSync != null) {
      member.awaitingSync.complete(syncError(Errors.REBALANCE_IN_PROGRESS));
    }
    member.awaitingSync = answer;
    if (memberId.equals(leaderId)) {
      // Members the leader left out get an empty assignment, as in Kafka; the bytes are passed on untouched.
      for (GroupMember each : members.values()) {
        each.assignment = assignments.getOrDefault(each.memberId, NO_METADATA);
      }
      state = new GroupState.Stable();
      for (GroupMember each : members.values()) {
        if (each.awaitingSync != null) {
          GroupDeadlines.renewSession(each, now);
          each.awaitingSync.complete(syncAnswer(each));
          each.awaitingSync = null;
        }
      }
    }
    return answer;
  }

  private SyncGroupResponseData syncAnswer(GroupMember member) {
    return new SyncGroupResponseData().setErrorCode(Errors.NONE.code()).setProtocolType(protocolType)
        .setProtocolName(protocolName).setAssignment(member.assignment);
  }

  private static SyncGroupResponseData syncError(Errors error) {
    return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(NO_METADATA)
        .setProtocolType(null).setProtocolName(null);
  }

  // ---- Heartbeat

  Errors heartbeat(String memberId, String groupInstanceId, int generationId, long now) {
    Errors invalid = validateGeneration(memberId, groupInstanceId, generationId);
    if (invalid != Errors.NONE) {
      return invalid;
    }
    GroupMember member = members.get(memberId);
    GroupDeadlines.renewSession(member, now);
    return state instanceof GroupState.PreparingRebalance ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
  }

  // ---- LeaveGroup

  /** One member leaving; {@code memberId} may be empty when {@code groupInstanceId} names a static member. */
  Errors leave(String memberId, String groupInstanceId, long now) {
    String leaving = memberId;
    if (groupInstanceId != null) {
      leaving = staticMembers.get(groupInstanceId);
      if (leaving == null) {
        return Errors.UNKNOWN_MEMBER_ID;
      }
      if (!memberId.isEmpty() && !memberId.equals(leaving)) {
        return Errors.FENCED_INSTANCE_ID;
      }
    } else if (deadlines.takePending(memberId)) {
      tryCompleteJoin(now);
      return Errors.NONE;
    }
    GroupMember member = members.get(leaving);
    if (member == null) {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    removeAndRebalance(member, now);
    return Errors.NONE;
  }

  // ---- time

  /** Expires members whose session ran out and ends a join phase whose time is up. */
  void tick(long now) {
    deadlines.expirePending(now);
    for (GroupMember member : List.copyOf(members.values())) {
      if (members.containsKey(member.memberId) && member.expired(now)) {
        removeAndRebalance(member, now);
      }
    }
    if (state instanceof GroupState.PreparingRebalance preparing && preparing.deadline() <= now) {
      if (preparing.initialDelay()) {
        state = GroupDeadlines.afterInitialDelay(preparing);
        tryCompleteJoin(now);
      } else {
        completeJoin(now);
      }
    } else {
      tryCompleteJoin(now);
    }
  }

  /** When {@link #tick} next has something to do; {@link Long#MAX_VALUE} if nothing is due ever. */
  long nextDeadline() {
    return deadlines.next(state, members.values());
  }

  // ---- offsets and descriptions

  /**
   * Whether a member may commit offsets now (Kafka's rules): anyone with generation -1 and no member id while the
   * group has no members ("simple" commits), otherwise a member of the current generation unless assignments are
   * being handed out.
   */
  Errors validateOffsetCommit(String memberId, String groupInstanceId, int generationId) {
    if (generationId < 0 && members.isEmpty()) {
      return Errors.NONE;
    }
    if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
      Errors invalid = validateGeneration(memberId, groupInstanceId, generationId);
      if (invalid != Errors.NONE) {
        return invalid;
      }
    } else {
      return Errors.UNKNOWN_MEMBER_ID;
    }
    return state instanceof GroupState.CompletingRebalance ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
  }

  /** Whether its members speak Kafka's consumer protocol, whose subscriptions name topics. */
  boolean speaksConsumerProtocol() {
    return ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType);
  }

  /**
   * Whether a member subscribes to {@code topic} (Kafka's isSubscribedToTopic, which OffsetDelete consults): by the
   * subscription each member offered for the group's protocol, or for any protocol while none is chosen. A
   * subscription that does not decode counts as one to every topic, as in Kafka.
   */
  boolean subscribesTo(String topic) {
    for (GroupMember member : members.values()) {
      for (Protocol offered : member.protocols) {
        if (protocolName != null && !offered.name().equals(protocolName)) {
          continue;
        }
        try {
          if (ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(offered.metadata())).topics()
              .contains(topic)) {
            return true;
          }
        } catch (RuntimeException undecodable) {
          return true;
        }
      }
    }
    return false;
  }

  GroupDescription describe() {
    boolean stable = state instanceof GroupState.Stable;
    List<GroupDescription.Member> described = new ArrayList<>(members.size());
    for (GroupMember member : members.values()) {
      described.add(new GroupDescription.Member(member.memberId, member.groupInstanceId, member.clientId,
          member.clientHost, stable ? member.metadata(protocolName) : NO_METADATA,
          stable ? member.assignment : NO_METADATA));
    }
    return new GroupDescription(groupId, state.kafkaName(), Objects.requireNonNullElse(protocolType, ""),
        stable ? protocolName : "", described);
  }

  // ---- shared

  private Errors validateMember(String memberId, String groupInstanceId) {
    if (groupInstanceId != null) {
      String current = staticMembers.get(groupInstanceId);
      if (current != null && !current.equals(memberId)) {
        return Errors.FENCED_INSTANCE_ID;
      }
    }
    return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
  }

  private Errors validateGeneration(String memberId, String groupInstanceId, int generationId) {
    Errors invalid = validateMember(memberId, groupInstanceId);
    if (invalid != Errors.NONE) {
      return invalid;
    }
    return generationId == generation ? Errors.NONE : Errors.ILLEGAL_GENERATION;
  }

  /**
   * This instance no longer coordinates the group (its lease was lost or given up): every member is forgotten and
   * a parked join or sync answers NOT_COORDINATOR, so that its client finds the new coordinator and rejoins there.
   */
  void abandon() {
    List.copyOf(members.values()).forEach(member -> remove(member, Errors.NOT_COORDINATOR));
    deadlines.forgetPending();
  }

  private void removeAndRebalance(GroupMember member, long now) {
    remove(member, Errors.UNKNOWN_MEMBER_ID);
    if (state instanceof GroupState.PreparingRebalance) {
      tryCompleteJoin(now);
    } else if (!(state instanceof GroupState.Empty)) {
      rebalance(now);
    }
  }

  private void remove(GroupMember member, Errors toWaiting) {
    members.remove(member.memberId);
    if (member.groupInstanceId != null) {
      staticMembers.remove(member.groupInstanceId, member.memberId);
    }
    if (member.awaitingJoin != null) {
      member.awaitingJoin.complete(joinError(member.memberId, toWaiting));
      member.awaitingJoin = null;
    }
    if (member.awaitingSync != null) {
      member.awaitingSync.complete(syncError(toWaiting));
      member.awaitingSync = null;
    }
    if (member.memberId.equals(leaderId)) {
      leaderId = null;
    }
  }
}
