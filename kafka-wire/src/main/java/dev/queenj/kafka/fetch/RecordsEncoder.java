package dev.queenj.kafka.fetch;

import dev.queenj.core.log.LogRecord;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * The only writer of fetched record batches (kafka-clients' record classes move in 4.3; this is the adapter): the
 * records read from one partition as one uncompressed batch of magic 2 with CreateTime timestamps. Offsets may have
 * gaps (deleted messages); a batch carries each record's offset delta, so consumers see the stored offsets. Fetches
 * are not compressed: the bytes stay local (loopback or LAN), and compressing would cost the CPU we share with
 * Postgres.
 *
 * <p>The records are written here, each straight from its stored bytes: the stored headers are already in the
 * record's own header layout ({@code RecordHeaders}), so they are copied, not decoded and written again as
 * kafka-clients' builder would. The batch header and its checksum are kafka-clients' ({@link DefaultRecordBatch}).
 */
final class RecordsEncoder {
  private static final int BATCH_OVERHEAD = DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
  /** A record's attributes byte: nothing set. */
  private static final byte NO_ATTRIBUTES = 0;
  /** A null key or value is written as length -1; no headers as a count of 0. */
  private static final int NULL_LENGTH = -1;
  private static final int NO_HEADERS_SIZE = ByteUtils.sizeOfVarint(0);

  private RecordsEncoder() {}

  static MemoryRecords encode(List<LogRecord> records) {
    if (records.isEmpty()) {
      return MemoryRecords.EMPTY;
    }
    long baseOffset = records.get(0).offset();
    long baseTimestamp = baseTimestamp(records.get(0).timestamp());
    long maxTimestamp = records.get(0).timestamp();
    int[] bodySizes = new int[records.size()];
    int size = BATCH_OVERHEAD;
    for (int i = 0; i < bodySizes.length; i++) {
      LogRecord record = records.get(i);
      maxTimestamp = Math.max(maxTimestamp, record.timestamp());
      bodySizes[i] = bodySize(record, (int) (record.offset() - baseOffset), record.timestamp() - baseTimestamp);
      size += ByteUtils.sizeOfVarint(bodySizes[i]) + bodySizes[i];
    }
    ByteBuffer buffer = ByteBuffer.allocate(size);
    buffer.position(BATCH_OVERHEAD);
    for (int i = 0; i < bodySizes.length; i++) {
      LogRecord record = records.get(i);
      ByteUtils.writeVarint(bodySizes[i], buffer);
      buffer.put(NO_ATTRIBUTES);
      ByteUtils.writeVarlong(record.timestamp() - baseTimestamp, buffer);
      ByteUtils.writeVarint((int) (record.offset() - baseOffset), buffer);
      writeBytes(record.key(), buffer);
      writeBytes(record.value(), buffer);
      if (record.headers() == null) {
        ByteUtils.writeVarint(0, buffer);
      } else {
        buffer.put(record.headers());
      }
    }
    buffer.position(0);
    int lastOffsetDelta = (int) (records.get(records.size() - 1).offset() - baseOffset);
    DefaultRecordBatch.writeHeader(buffer, baseOffset, lastOffsetDelta, size, RecordBatch.MAGIC_VALUE_V2,
        CompressionType.NONE, TimestampType.CREATE_TIME, baseTimestamp, maxTimestamp, RecordBatch.NO_PRODUCER_ID,
        RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false, false, false,
        RecordBatch.NO_PARTITION_LEADER_EPOCH, records.size());
    buffer.position(0);
    return MemoryRecords.readableRecords(buffer);
  }

  /**
   * The batch's base timestamp: the first record's, unless that is negative other than NO_TIMESTAMP (-1), which a
   * batch header cannot carry (kafka-clients refuses to write it) but a record can. Kafka stores such a CreateTime
   * from a crafted producer (its LogValidator only bounds timestamps by {@code message.timestamp.before/after.max.ms})
   * and serves it; here it is served the same way, as a delta from a base of 0, so one such record never fails the
   * fetches that cover it.
   */
  private static long baseTimestamp(long firstTimestamp) {
    return firstTimestamp >= 0 || firstTimestamp == RecordBatch.NO_TIMESTAMP ? firstTimestamp : 0;
  }

  /** A record's size after its length field (DefaultRecord's layout). */
  private static int bodySize(LogRecord record, int offsetDelta, long timestampDelta) {
    return Byte.BYTES + ByteUtils.sizeOfVarlong(timestampDelta) + ByteUtils.sizeOfVarint(offsetDelta)
        + bytesSize(record.key()) + bytesSize(record.value())
        + (record.headers() == null ? NO_HEADERS_SIZE : record.headers().length);
  }

  private static int bytesSize(byte[] bytes) {
    return bytes == null ? ByteUtils.sizeOfVarint(NULL_LENGTH) : ByteUtils.sizeOfVarint(bytes.length) + bytes.length;
  }

  private static void writeBytes(byte[] bytes, ByteBuffer buffer) {
    if (bytes == null) {
      ByteUtils.writeVarint(NULL_LENGTH, buffer);
    } else {
      ByteUtils.writeVarint(bytes.length, buffer);
      buffer.put(bytes);
    }
  }
}
