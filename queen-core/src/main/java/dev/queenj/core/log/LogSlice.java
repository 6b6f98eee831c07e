package dev.queenj.core.log;

import java.util.List;

/**
 * What a read found in one Kafka partition: its log start and high watermark, and the records read (none when the
 * requested offset lies outside [logStart, highWatermark)).
 */
public record LogSlice(long logStartOffset, long highWatermark, List<LogRecord> records) {

  public boolean covers(long offset) {
    return offset >= logStartOffset && offset <= highWatermark;
  }
}
