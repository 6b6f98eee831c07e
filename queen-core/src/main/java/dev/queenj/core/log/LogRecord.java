package dev.queenj.core.log;

/**
 * One stored message as the Kafka view sees it: offset, timestamp (CreateTime, else when stored; ms), key, value and
 * the encoded headers (null when none).
 */
public record LogRecord(long offset, long timestamp, byte[] key, byte[] value, byte[] headers) {

  /** Roughly what the record costs on the wire; the same measure the read statement limits by. */
  public int size() {
    return (key == null ? 0 : key.length) + (value == null ? 0 : value.length)
        + (headers == null ? 0 : headers.length) + 16;
  }
}
