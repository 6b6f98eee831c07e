package dev.queenj.kafka.group;

import java.util.List;

/**
 * A JoinGroup as the group logic needs it.
 *
 * @param memberId empty for a member that does not have one yet
 * @param groupInstanceId null for a dynamic member
 * @param requireKnownMemberId v4+: an unknown dynamic member first gets its id (MEMBER_ID_REQUIRED), then joins
 * @param supportsSkipAssignment v9+: a replaced static leader can be told its assignment stands
 */
record JoinRequest(String memberId, String groupInstanceId, String clientId, String clientHost, int sessionTimeoutMs,
    int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols, boolean requireKnownMemberId,
    boolean supportsSkipAssignment) {}
