package dev.queenj.core.push;

import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.queue.PartitionPlacement;
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
      throw new InvalidRequestException("queue is required");
    }
    if (transactionId != null && transactionId.length() > MAX_TRANSACTION_ID_LENGTH) {
      throw new InvalidRequestException(
          "transactionId must be at most " + MAX_TRANSACTION_ID_LENGTH + " characters");
    }
    if (partition == null) {
      partition = PartitionPlacement.DEFAULT_PARTITION;
    }
  }
}
