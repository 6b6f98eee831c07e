package dev.queenj.core.pop;

import dev.queenj.core.error.InvalidRequestException;

/**
 * One pop. {@code partition} null pops any eligible partition of the queue (up to {@code maxPartitions}, with
 * {@code batch} a global cap across them).
 */
public record PopRequest(
    String queue,
    String partition,
    String consumerGroup,
    int batch,
    int maxPartitions,
    boolean autoAck,
    SubscriptionStart subscription,
    String workerId) {

  public static final String QUEUE_MODE = "__QUEUE_MODE__";
  public static final int MAX_BATCH = 10_000;
  public static final int MAX_PARTITIONS = 1_000;

  public PopRequest {
    if (queue == null || queue.isEmpty()) {
      throw new InvalidRequestException("queue is required");
    }
    if (batch < 1 || batch > MAX_BATCH) {
      throw new InvalidRequestException("batch must be between 1 and " + MAX_BATCH);
    }
    if (maxPartitions < 1 || maxPartitions > MAX_PARTITIONS) {
      throw new InvalidRequestException("partitions must be between 1 and " + MAX_PARTITIONS);
    }
    if (consumerGroup == null || consumerGroup.isEmpty()) {
      consumerGroup = QUEUE_MODE;
    }
    if (subscription == null) {
      subscription = new SubscriptionStart.All();
    }
  }

  public boolean queueMode() {
    return QUEUE_MODE.equals(consumerGroup);
  }
}
