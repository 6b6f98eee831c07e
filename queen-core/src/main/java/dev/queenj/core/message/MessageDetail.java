package dev.queenj.core.message;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One stored message with where every consumer group stands with it. {@code payload} is the stored bytes or null:
 * JSON text for a native push, the record value as produced for a Kafka record ({@code kafkaOrigin}).
 */
public record MessageDetail(
    UUID id,
    String transactionId,
    UUID partitionId,
    String queue,
    String partition,
    String namespace,
    String task,
    UUID traceId,
    byte[] payload,
    String producerSub,
    OffsetDateTime createdAt,
    List<GroupConsumption> consumption,
    boolean kafkaOrigin) {

  public MessageStatus status() {
    return MessageStatus.overall(consumption);
  }

  /** The first group (by name) that gave up on the message, if any. */
  public Optional<GroupConsumption> deadLetter() {
    return consumption.stream().filter(group -> group.status() == MessageStatus.DEAD_LETTER).findFirst();
  }
}
