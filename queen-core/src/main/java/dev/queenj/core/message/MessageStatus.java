package dev.queenj.core.message;

import java.util.List;

/** Where a message stands, for one consumer group or overall. */
public enum MessageStatus {
  PENDING("pending"),
  PROCESSING("processing"),
  COMPLETED("completed"),
  DEAD_LETTER("dead_letter");

  private final String wireName;

  MessageStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The status of this wire name ({@code pending}, {@code processing}, {@code completed}, {@code dead_letter}). */
  public static MessageStatus ofWireName(String name) {
    for (MessageStatus status : values()) {
      if (status.wireName.equals(name)) {
        return status;
      }
    }
    throw new dev.queenj.core.error.InvalidRequestException(
        "status must be one of pending, processing, completed, dead_letter; got '" + name + "'");
  }

  /**
   * Overall: dead letter once any group gave up on it; completed once every group with a cursor on its partition
   * consumed it (the definition the resource stats use); processing while any group holds it in a leased batch.
   */
  public static MessageStatus overall(List<GroupConsumption> groups) {
    boolean allCompleted = !groups.isEmpty();
    boolean processing = false;
    for (GroupConsumption group : groups) {
      if (group.status() == DEAD_LETTER) {
        return DEAD_LETTER;
      }
      allCompleted &= group.status() == COMPLETED;
      processing |= group.status() == PROCESSING;
    }
    return allCompleted ? COMPLETED : processing ? PROCESSING : PENDING;
  }
}
