package dev.queenj.core.group;

/**
 * Which protocol a consumer group reads through: Queen's pops (cursors per Queen partition) or Kafka's fetches
 * (committed offsets per Kafka partition). A group name may exist in both; they are different groups.
 */
public enum GroupProtocol {
  QUEEN("queen"),
  KAFKA("kafka");

  private final String wireName;

  GroupProtocol(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
