package dev.queenj.core.push;

import java.util.UUID;

/**
 * One message to append. {@code payload} is the stored bytes (JSON text for native pushes) or null;
 * {@code transactionId} null lets the server generate one.
 */
public record PushItem(
    String queue, String partition, String transactionId, UUID traceId, byte[] payload, String producerSub) {

  public static final int MAX_TRANSACTION_ID_LENGTH = 255;

  public PushItem {
    if (queue == null || queue.isEmpty()) {
      throw new dev.queenj.core.error.InvalidRequestException("queue is required");
    }
    if (transactionId != null && transactionId.length() > MAX_TRANSACTION_ID_LENGTH) {
      throw new dev.queenj.core.error.InvalidRequestException(
          "transactionId must be at most " + MAX_TRANSACTION_ID_LENGTH + " characters");
    }
    if (partition == null) {
      partition = dev.queenj.core.queue.PartitionPlacement.DEFAULT_PARTITION;
    }
  }
}
