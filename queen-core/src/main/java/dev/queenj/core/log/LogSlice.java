package dev.queenj.core.log;

import dev.queenj.core.error.EncryptionException;
import java.util.List;

/**
 * What a read found in one Kafka partition: its log start and high watermark, and the records read (none when the
 * requested offset lies outside [logStart, highWatermark)). {@code unreadable} is set when the record after the last
 * one read is stored encrypted and could not be decrypted: the records before it are answered, that one never.
 */
public record LogSlice(long logStartOffset, long highWatermark, List<LogRecord> records,
    EncryptionException unreadable) {

  public LogSlice(long logStartOffset, long highWatermark, List<LogRecord> records) {
    this(logStartOffset, highWatermark, records, null);
  }

  public boolean covers(long offset) {
    return offset >= logStartOffset && offset <= highWatermark;
  }
}
