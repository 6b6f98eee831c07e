package dev.queenj.kafka.produce;

import dev.queenj.core.push.KafkaOrigin;
import dev.queenj.core.push.PushItem;
import dev.queenj.kafka.api.RecordHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;

/**
 * The only reader of produced record batches (kafka-clients' record classes move in 4.3; this is the adapter):
 * validates every batch of a partition before anything is stored — magic 2, CRC, {@code max.message.bytes}, no
 * control batches (only brokers write those) — and decompresses it (gzip, snappy, lz4, zstd come with kafka-clients) into items.
 */
final class BatchDecoder {
  private BatchDecoder() {}

  /** The partition's batches; throws the Kafka error that fails the whole partition when any batch is invalid. */
  static List<ProducedBatch> decode(String queue, int kafkaPartition, BaseRecords records, int maxMessageBytes) {
    if (!(records instanceof MemoryRecords memory) || memory.sizeInBytes() == 0) {
      throw new InvalidRecordException("a produced partition must carry record batches");
    }
    List<MutableRecordBatch> batches = new ArrayList<>();
    for (MutableRecordBatch batch : memory.batches()) {
      if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
        throw new InvalidRecordException("only record batches of magic 2 are accepted, got " + batch.magic());
      }
      if (batch.sizeInBytes() > maxMessageBytes) {
        throw new RecordTooLargeException("a record batch of " + batch.sizeInBytes()
            + " bytes exceeds max.message.bytes " + maxMessageBytes);
      }
      batch.ensureValid();
      if (batch.isControlBatch()) {
        throw new InvalidRecordException("control batches are written by brokers, not produced");
      }
      if (batch.isTransactional() && batch.producerId() < 0) {
        throw new InvalidRecordException("a transactional batch must carry a producer id");
      }
      batches.add(batch);
    }
    if (memory.validBytes() != memory.sizeInBytes()) {
      // a truncated last batch: what the CRC would have covered did not arrive
      throw new CorruptRecordException("the records end inside a batch");
    }
    List<ProducedBatch> decoded = new ArrayList<>(batches.size());
    for (MutableRecordBatch batch : batches) {
      List<PushItem> items = new ArrayList<>();
      try (CloseableIterator<Record> it = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
        while (it.hasNext()) {
          Record record = it.next();
          byte[] key = bytes(record.key());
          KafkaOrigin origin = new KafkaOrigin(kafkaPartition, key, RecordHeaders.encode(record.headers()),
              record.timestamp());
          items.add(PushItem.kafka(queue, keyName(key), bytes(record.value()), origin));
        }
      } catch (CorruptRecordException | InvalidRecordException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CorruptRecordException("a record batch does not decompress or decode: " + e.getMessage());
      }
      decoded.add(new ProducedBatch(batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
          batch.lastSequence(), batch.isTransactional(), items));
    }
    return decoded;
  }

  /** The Queen partition a key asks for: its text when it is non-empty valid UTF-8, else none. */
  private static String keyName(byte[] key) {
    if (key == null || key.length == 0) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
