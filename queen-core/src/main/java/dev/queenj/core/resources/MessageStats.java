package dev.queenj.core.resources;

/**
 * Message counts of a partition, a queue or everything; defined relative to consumer cursors in
 * {@code partition_stats_select.sql}.
 */
public record MessageStats(long total, long pending, long processing, long completed, long failed, long deadLetter) {

  public static final MessageStats ZERO = new MessageStats(0, 0, 0, 0, 0, 0);

  public MessageStats plus(MessageStats other) {
    return new MessageStats(total + other.total, pending + other.pending, processing + other.processing,
        completed + other.completed, failed + other.failed, deadLetter + other.deadLetter);
  }
}
