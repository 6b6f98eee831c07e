package dev.queenj.core.log;

import java.util.List;

/**
 * What one committed append added to one log: its records, as a read of them would answer them, from the log's
 * previous high watermark up to {@code nextOffset}, the new one.
 */
public record LogAppend(String queue, int kafkaPartition, long nextOffset, List<LogRecord> records) {

  /** The log's high watermark before the append: the offset of its first record. */
  public long firstOffset() {
    return nextOffset - records.size();
  }
}
