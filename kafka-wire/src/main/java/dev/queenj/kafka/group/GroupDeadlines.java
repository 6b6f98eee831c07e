package dev.queenj.kafka.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The clock side of one {@link ClassicGroup}: when a member's session runs out, how long a join phase waits (the
 * members' largest rebalance timeout, or the initial delay of a group that was empty), and how long a dynamic member
 * that was handed its id (MEMBER_ID_REQUIRED) may take to join with it. It only computes deadlines from an explicit
 * {@code now}; the group decides what happens when one passes, and its caller calls {@link ClassicGroup#tick} at
 * {@link #next}.
 */
final class GroupDeadlines {
  private final GroupConfig config;
  /** Dynamic members that got their id (MEMBER_ID_REQUIRED) but have not joined with it yet, with their deadline. */
  private final Map<String, Long> pendingMembers = new HashMap<>();

  GroupDeadlines(GroupConfig config) {
    this.config = config;
  }

  /** A member handed its id must join with it within its session timeout, or the group stops waiting for it. */
  void awaitJoinWithId(String memberId, long deadline) {
    pendingMembers.put(memberId, deadline);
  }

  /** Whether {@code memberId} was handed out and not yet used; it is not pending any more either way. */
  boolean takePending(String memberId) {
    return pendingMembers.remove(memberId) != null;
  }

  /** Whether no handed-out id is still expected to join (a join phase waits for those too). */
  boolean nonePending() {
    return pendingMembers.isEmpty();
  }

  void forgetPending() {
    pendingMembers.clear();
  }

  /** Stops waiting for handed-out ids whose time is up. */
  void expirePending(long now) {
    pendingMembers.values().removeIf(deadline -> deadline <= now);
  }

  /** A member's session starts over: a heartbeat, a sync, or a new generation. */
  static void renewSession(GroupMember member, long now) {
    member.sessionDeadline = now + member.sessionTimeoutMs;
  }

  /**
   * The join phase a rebalance starts: as long as the members' largest rebalance timeout, and for a group that was
   * empty first the initial delay, which later joiners extend up to that limit.
   */
  GroupState.PreparingRebalance joinPhase(GroupState from, Collection<GroupMember> members, long now) {
    long rebalanceTimeout = members.stream().mapToLong(m -> m.rebalanceTimeoutMs).max().orElse(0);
    if (from instanceof GroupState.Empty && config.initialRebalanceDelayMs() > 0) {
      long limit = now + rebalanceTimeout;
      return new GroupState.PreparingRebalance(Math.min(now + config.initialRebalanceDelayMs(), limit), true, limit);
    }
    return new GroupState.PreparingRebalance(now + rebalanceTimeout, false, 0);
  }

  /** A member joined during {@code phase}: an initial delay starts over (within its limit), any other is unchanged. */
  GroupState.PreparingRebalance afterJoin(GroupState.PreparingRebalance phase, long now) {
    if (!phase.initialDelay()) {
      return phase;
    }
    return new GroupState.PreparingRebalance(
        Math.min(now + config.initialRebalanceDelayMs(), phase.delayLimit()), true, phase.delayLimit());
  }

  /** The initial delay is over: the join phase goes on until the rebalance timeout it was given. */
  static GroupState.PreparingRebalance afterInitialDelay(GroupState.PreparingRebalance phase) {
    return new GroupState.PreparingRebalance(phase.delayLimit(), false, 0);
  }

  /** When the group next has something to do; {@link Long#MAX_VALUE} if nothing is due ever. */
  long next(GroupState state, Collection<GroupMember> members) {
    long next = Long.MAX_VALUE;
    for (long deadline : pendingMembers.values()) {
      next = Math.min(next, deadline);
    }
    for (GroupMember member : members) {
      // a member waiting for an answer is not expected to heartbeat; its session counts again once answered
      if (member.awaitingJoin == null && member.awaitingSync == null) {
        next = Math.min(next, member.sessionDeadline);
      }
    }
    if (state instanceof GroupState.PreparingRebalance preparing) {
      next = Math.min(next, preparing.deadline());
    }
    return next;
  }
}
