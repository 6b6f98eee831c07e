package dev.queenj.core.push;

import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.queue.PartitionPlacement;
import java.util.UUID;

/**
 * One message to append. {@code payload} is the stored bytes (JSON text for native pushes, the record value for Kafka
 * records) or null; {@code transactionId} null lets the server generate one. {@code kafka} is null for native pushes;
 * for a Kafka record it names the log it was produced into, and {@code partition} is the Queen partition the record
 * asks for (its key), which {@link MessageAppender} may overrule: see {@link PartitionPlacement#kafkaFallback}.
 */
public record PushItem(
    String queue, String partition, String transactionId, UUID traceId, byte[] payload, String producerSub,
    KafkaOrigin kafka) {

  public static final int MAX_TRANSACTION_ID_LENGTH = 255;

  public PushItem {
    if (queue == null || queue.isEmpty()) {
      throw new InvalidRequestException("queue is required");
    }
    if (transactionId != null && transactionId.length() > MAX_TRANSACTION_ID_LENGTH) {
      throw new InvalidRequestException(
          "transactionId must be at most " + MAX_TRANSACTION_ID_LENGTH + " characters");
    }
    if (partition == null && kafka == null) {
      partition = PartitionPlacement.DEFAULT_PARTITION;
    }
  }

  /** A native push. */
  public PushItem(String queue, String partition, String transactionId, UUID traceId, byte[] payload,
      String producerSub) {
    this(queue, partition, transactionId, traceId, payload, producerSub, null);
  }

  /** A Kafka record; {@code partition} is its key as text, or null when the key is null or not UTF-8. */
  public static PushItem kafka(String queue, String partition, byte[] value, KafkaOrigin origin) {
    return new PushItem(queue, partition, null, null, value, null, origin);
  }
}
