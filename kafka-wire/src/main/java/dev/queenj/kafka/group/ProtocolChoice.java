package dev.queenj.kafka.group;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which protocol a classic group speaks (Kafka's rules): a joiner must have the group's protocol type and one
 * protocol in common with every other member, and a new generation takes the common protocol most members prefer.
 */
final class ProtocolChoice {
  private ProtocolChoice() {}

  /**
   * Whether a group of {@code members} speaking {@code protocolType} can take a member offering these protocols:
   * same protocol type, one protocol in common with every member but itself.
   */
  static boolean accepts(JoinRequest join, Collection<GroupMember> members, String protocolType) {
    if (join.protocolType() == null || join.protocolType().isEmpty() || join.protocols().isEmpty()) {
      return false;
    }
    boolean others = members.stream().anyMatch(member -> !member.memberId.equals(join.memberId()));
    if (!others) {
      return true;
    }
    if (!join.protocolType().equals(protocolType)) {
      return false;
    }
    Set<String> common = new HashSet<>();
    join.protocols().forEach(p -> common.add(p.name()));
    for (GroupMember member : members) {
      if (!member.memberId.equals(join.memberId())) {
        common.retainAll(member.protocols.stream().map(Protocol::name).toList());
      }
    }
    return !common.isEmpty();
  }

  /** The protocol every member offers that most members prefer (Kafka's vote: each votes its first candidate). */
  static String select(Collection<GroupMember> members) {
    Set<String> candidates = null;
    for (GroupMember member : members) {
      Set<String> offered = new HashSet<>(member.protocols.stream().map(Protocol::name).toList());
      if (candidates == null) {
        candidates = offered;
      } else {
        candidates.retainAll(offered);
      }
    }
    Map<String, Integer> votes = new LinkedHashMap<>();
    for (GroupMember member : members) {
      for (Protocol offered : member.protocols) {
        if (candidates.contains(offered.name())) {
          votes.merge(offered.name(), 1, Integer::sum);
          break;
        }
      }
    }
    return votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }
}
