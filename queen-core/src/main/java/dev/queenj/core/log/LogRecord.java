package dev.queenj.core.log;

/**
 * One stored message as the Kafka view sees it: offset, timestamp (CreateTime, else when stored; ms), key, value and
 * the encoded headers (null when none).
 */
public record LogRecord(long offset, long timestamp, byte[] key, byte[] value, byte[] headers) {

  /** Bytes a record is counted for besides its key, value and headers. */
  private static final int OVERHEAD = 16;

  /** Roughly what the record costs on the wire; the measure log positions and fetch budgets count in. */
  public int size() {
    return size(key, value, headers);
  }

  /** The size of a record with these parts (each may be null); the append positions records by it. */
  public static int size(byte[] key, byte[] value, byte[] headers) {
    return (key == null ? 0 : key.length) + (value == null ? 0 : value.length) + (headers == null ? 0 : headers.length)
        + OVERHEAD;
  }
}
