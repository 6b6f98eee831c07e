package dev.queenj.core.retention;

/**
 * The outcome of moving one log's start (Kafka's DeleteRecords): {@code known} false for an unknown queue or Kafka
 * partition; {@code compactOnly} true when the topic's {@code cleanup.policy} is compact without delete (nothing
 * changed, as Kafka refuses it); else {@code logStartOffset} is the start after the request, or -1 when the
 * requested offset lies past the high watermark (nothing changed).
 */
public record LogTrim(boolean known, boolean compactOnly, long logStartOffset) {
  public boolean outOfRange() {
    return known && !compactOnly && logStartOffset < 0;
  }
}
