package dev.queenj.kafka.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * How a record's Kafka headers are stored ({@code messages.record_headers}): Kafka's own record-header layout —
 * varint count, then per header varint key length, UTF-8 key, varint value length (-1 for a null value), value bytes.
 * No headers are stored as null, so the common case costs nothing. Fetches copy the stored bytes into the records
 * they write, byte-exact.
 */
public final class RecordHeaders {
  private RecordHeaders() {}

  public static byte[] encode(Header[] headers) {
    if (headers.length == 0) {
      return null;
    }
    byte[][] keys = new byte[headers.length][];
    int size = ByteUtils.sizeOfVarint(headers.length);
    for (int i = 0; i < headers.length; i++) {
      keys[i] = headers[i].key().getBytes(StandardCharsets.UTF_8);
      byte[] value = headers[i].value();
      size += ByteUtils.sizeOfVarint(keys[i].length) + keys[i].length
          + (value == null ? ByteUtils.sizeOfVarint(-1) : ByteUtils.sizeOfVarint(value.length) + value.length);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    ByteUtils.writeVarint(headers.length, out);
    for (int i = 0; i < headers.length; i++) {
      ByteUtils.writeVarint(keys[i].length, out);
      out.put(keys[i]);
      byte[] value = headers[i].value();
      if (value == null) {
        ByteUtils.writeVarint(-1, out);
      } else {
        ByteUtils.writeVarint(value.length, out);
        out.put(value);
      }
    }
    return out.array();
  }
}
