package dev.queenj.kafka.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.log.LogRecord;
import dev.queenj.kafka.api.RecordHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Batches as kafka-clients reads them: checksum, offsets, timestamps, keys, values and headers. */
class RecordsEncoderTest {

  @Test
  void recordsComeBackAsOneValidBatchWithTheirOffsetsTimestampsKeysAndValues() {
    // given records with an offset gap, a timestamp older than the first one, null keys and values, no headers
    List<LogRecord> stored = List.of(
        new LogRecord(40, 1_700_000_000_500L, bytes("k1"), bytes("v1"), null),
        new LogRecord(41, 1_700_000_000_100L, null, bytes(""), null),
        new LogRecord(45, 1_700_000_009_000L, bytes("k3"), null, null));

    // when
    MemoryRecords records = RecordsEncoder.encode(stored);

    // then
    List<MutableRecordBatch> batches = new ArrayList<>();
    records.batches().forEach(batches::add);
    assertThat(batches).hasSize(1);
    RecordBatch batch = batches.get(0);
    batch.ensureValid();
    assertThat(batch.magic()).isEqualTo(RecordBatch.MAGIC_VALUE_V2);
    assertThat(batch.baseOffset()).isEqualTo(40);
    assertThat(batch.lastOffset()).isEqualTo(45);
    assertThat(batch.countOrNull()).isEqualTo(3);
    assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
    assertThat(batch.maxTimestamp()).isEqualTo(1_700_000_009_000L);
    assertThat(batch.producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
    assertThat(batch.sizeInBytes()).isEqualTo(records.sizeInBytes());
    List<Record> read = new ArrayList<>();
    batch.forEach(read::add);
    assertThat(read).extracting(Record::offset).containsExactly(40L, 41L, 45L);
    assertThat(read).extracting(Record::timestamp)
        .containsExactly(1_700_000_000_500L, 1_700_000_000_100L, 1_700_000_009_000L);
    assertThat(read).extracting(r -> text(r.key())).containsExactly("k1", null, "k3");
    assertThat(read).extracting(r -> text(r.value())).containsExactly("v1", "", null);
    assertThat(read).allSatisfy(r -> assertThat(r.headers()).isEmpty());
  }

  @Test
  void storedHeadersComeBackByteExactInOrderWithDuplicatesAndNulls() {
    Header[] headers = {
        new RecordHeader("trace", bytes("abc")),
        new RecordHeader("ключ", null),
        new RecordHeader("trace", new byte[0]),
        new RecordHeader("bin", new byte[300])};
    headers[3].value()[299] = (byte) 0xff;

    MemoryRecords records = RecordsEncoder.encode(List.of(
        new LogRecord(0, 1L, null, bytes("v"), RecordHeaders.encode(headers)),
        new LogRecord(1, 1L, null, bytes("w"), null)));

    List<Record> read = new ArrayList<>();
    records.batches().forEach(batch -> {
      batch.ensureValid();
      batch.forEach(read::add);
    });
    assertThat(read.get(0).headers()).containsExactly(headers);
    assertThat(read.get(1).headers()).isEmpty();
  }

  @Test
  void negativeTimestampsAreServedAsStoredWhateverRecordComesFirst() {
    // a crafted producer's CreateTime -5 (Kafka stores it), NO_TIMESTAMP, and an ordinary one
    List<LogRecord> stored = List.of(
        new LogRecord(7, -5L, null, bytes("crafted"), null),
        new LogRecord(8, RecordBatch.NO_TIMESTAMP, null, bytes("none"), null),
        new LogRecord(9, 1_700_000_000_000L, null, bytes("ordinary"), null),
        new LogRecord(10, Long.MIN_VALUE / 2, null, bytes("far past"), null));

    for (int first = 0; first < stored.size(); first++) {
      MemoryRecords records = RecordsEncoder.encode(stored.subList(first, stored.size()));

      List<Record> read = new ArrayList<>();
      records.batches().forEach(batch -> {
        batch.ensureValid();
        batch.forEach(read::add);
      });
      assertThat(read).extracting(Record::timestamp).containsExactlyElementsOf(
          stored.subList(first, stored.size()).stream().map(LogRecord::timestamp).toList());
    }
  }

  @Test
  void noRecordsAreAnEmptyRecordSet() {
    assertThat(RecordsEncoder.encode(List.of()).sizeInBytes()).isZero();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ByteBuffer buffer) {
    return buffer == null ? null : new String(Utils.toArray(buffer), StandardCharsets.UTF_8);
  }
}
