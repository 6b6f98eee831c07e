package dev.queenj.kafka.fetch;

import dev.queenj.core.log.LogRecord;
import dev.queenj.kafka.api.RecordHeaders;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/**
 * The only writer of fetched record batches (kafka-clients' record classes move in 4.3; this is the adapter): the
 * records read from one partition as one uncompressed batch of magic 2 with CreateTime timestamps. Offsets may have
 * gaps (deleted messages); a batch carries each record's offset delta, so consumers see the stored offsets. Fetches
 * are not compressed: the bytes stay local (loopback or LAN), and compressing would cost the CPU we share with
 * Postgres.
 */
final class RecordsEncoder {
  /** A batch header plus a record's own framing (varints and attributes), rounded up. */
  private static final int BATCH_OVERHEAD = DefaultRecordBatch.RECORD_BATCH_OVERHEAD;
  private static final int RECORD_OVERHEAD = 24;

  private RecordsEncoder() {}

  static MemoryRecords encode(List<LogRecord> records) {
    if (records.isEmpty()) {
      return MemoryRecords.EMPTY;
    }
    int estimate = BATCH_OVERHEAD;
    for (LogRecord record : records) {
      estimate += record.size() + RECORD_OVERHEAD;
    }
    MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(estimate), RecordBatch.MAGIC_VALUE_V2,
        Compression.NONE, TimestampType.CREATE_TIME, records.get(0).offset());
    for (LogRecord record : records) {
      builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(),
          RecordHeaders.decode(record.headers()));
    }
    return builder.build();
  }
}
