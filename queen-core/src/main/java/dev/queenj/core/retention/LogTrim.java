package dev.queenj.core.retention;

/**
 * The outcome of moving one log's start (Kafka's DeleteRecords): {@code known} false for an unknown queue or Kafka
 * partition; else {@code logStartOffset} is the start after the request, or -1 when the requested offset lies past
 * the high watermark (nothing changed).
 */
public record LogTrim(boolean known, long logStartOffset) {
  public boolean outOfRange() {
    return known && logStartOffset < 0;
  }
}
