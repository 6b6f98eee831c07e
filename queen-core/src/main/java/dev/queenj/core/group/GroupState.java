package dev.queenj.core.group;

/**
 * A consumer group's health on one queue, as Queen's dashboard shows it. A Kafka group has Kafka's state: Empty (no
 * live members: no instance holds its coordinator lease, or this one does and has no member of it), PreparingRebalance,
 * CompletingRebalance or Stable as this instance's coordinator says, or Unknown while another instance coordinates it
 * (its members are in that instance's memory).
 */
public enum GroupState {
  STABLE("Stable"),
  LAGGING("Lagging"),
  DEAD("Dead"),
  EMPTY("Empty"),
  PREPARING_REBALANCE("PreparingRebalance"),
  COMPLETING_REBALANCE("CompletingRebalance"),
  UNKNOWN("Unknown");

  /** A group whose oldest unconsumed message is older than this is lagging (Queen's threshold). */
  public static final long LAGGING_AFTER_SECONDS = 300;

  private final String wireName;

  GroupState(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The state of this wire name (Kafka's state names are the same), UNKNOWN for any other. */
  static GroupState of(String wireName) {
    for (GroupState state : values()) {
      if (state.wireName.equals(wireName)) {
        return state;
      }
    }
    return UNKNOWN;
  }
}
