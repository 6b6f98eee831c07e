package dev.queenj.core.queue;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A queue (a Kafka topic) with its options. {@code kafkaPartitions} is the number of logs it is split into;
 * {@code topicId} is the id Kafka clients know it by, new whenever a queue of that name is created again.
 */
public record Queue(
    UUID id,
    String name,
    String namespace,
    String task,
    int kafkaPartitions,
    UUID topicId,
    QueueOptions options,
    OffsetDateTime createdAt) {

  /** Namespace implied by a queue name: the text before the first dot, or the whole name. */
  public static String namespaceOf(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  /** Task implied by a queue name: the text between the first and second dot, else empty. */
  public static String taskOf(String name) {
    int first = name.indexOf('.');
    if (first < 0) {
      return "";
    }
    int second = name.indexOf('.', first + 1);
    return second < 0 ? name.substring(first + 1) : name.substring(first + 1, second);
  }
}
