package dev.queenj.core.group;

/**
 * A consumer group's health on one queue, as Queen's dashboard shows it. Kafka groups are Empty (no instance holds
 * their coordinator lease, so they have no live members: Kafka's state for a group with only committed offsets) or
 * Unknown (an instance coordinates them; whether members are live is in that instance's memory).
 */
public enum GroupState {
  STABLE("Stable"),
  LAGGING("Lagging"),
  DEAD("Dead"),
  EMPTY("Empty"),
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
}
