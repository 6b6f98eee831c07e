package dev.queenj.kafka.produce;

import dev.queenj.kafka.admin.TopicConfigs;
import java.util.Map;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/**
 * What a topic's configs require of the records produced to it, as Kafka's {@code LogValidator} checks them: a batch
 * within {@code max.message.bytes}, a key on every record of a compacted topic, and producer timestamps within
 * {@code message.timestamp.before.max.ms} and {@code message.timestamp.after.max.ms} of the server's clock.
 */
record ProduceRules(int maxMessageBytes, boolean keysRequired, long timestampBeforeMaxMs,
    long timestampAfterMaxMs) {

  /** The rules of a topic on which {@code stored} were set (read with the queue, no extra round trip). */
  static ProduceRules of(Map<String, String> stored) {
    return new ProduceRules(TopicConfigs.maxMessageBytes(stored), TopicConfigs.compacted(stored),
        TopicConfigs.longValue(stored, "message.timestamp.before.max.ms"),
        TopicConfigs.longValue(stored, "message.timestamp.after.max.ms"));
  }

  /** Refuses a record without a key on a compacted topic, with Kafka's words. */
  void checkKey(byte[] key, String topicPartition) {
    if (key == null && keysRequired) {
      throw new InvalidRecordException("Compacted topic cannot accept message without key in topic partition "
          + topicPartition + ".");
    }
  }

  /** Refuses a producer timestamp too far from {@code nowMs}, with Kafka's words. */
  void checkTimestamp(RecordBatch batch, long timestamp, long offsetInBatch, long nowMs) {
    if (batch.timestampType() != TimestampType.CREATE_TIME || timestamp == RecordBatch.NO_TIMESTAMP) {
      return;
    }
    if (nowMs - timestamp > timestampBeforeMaxMs || timestamp - nowMs > timestampAfterMaxMs) {
      throw new InvalidTimestampException("Timestamp " + timestamp + " of message with offset " + offsetInBatch
          + " is out of range. The timestamp should be within [" + lowest(nowMs) + ", " + highest(nowMs) + "]");
    }
  }

  private long lowest(long nowMs) {
    return timestampBeforeMaxMs >= nowMs ? 0 : nowMs - timestampBeforeMaxMs;
  }

  private long highest(long nowMs) {
    return timestampAfterMaxMs >= Long.MAX_VALUE - nowMs ? Long.MAX_VALUE : nowMs + timestampAfterMaxMs;
  }
}
