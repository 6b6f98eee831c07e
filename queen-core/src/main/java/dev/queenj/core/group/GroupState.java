package dev.queenj.core.group;

/** A consumer group's health on one queue, as Queen's dashboard shows it. */
public enum GroupState {
  STABLE("Stable"),
  LAGGING("Lagging"),
  DEAD("Dead");

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
