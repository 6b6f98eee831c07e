package dev.queenj.core.stats;

/**
 * Counts of work done, over some span: messages pushed (native pushes, {@code /transaction} and Kafka produces,
 * duplicates left out; not the records of transactional Kafka producers nor Queen streams' sink pushes),
 * popped (delivered by native pops), acked (completed acks), failed (acks with status failed, retried or not) and
 * dead-lettered (moved to the dead-letter queue, by a failed ack past its retries or an ack with status dlq).
 */
public record Throughput(long pushed, long popped, long acked, long failed, long deadLettered) {
  public static final Throughput ZERO = new Throughput(0, 0, 0, 0, 0);

  public Throughput plus(Throughput other) {
    return new Throughput(pushed + other.pushed, popped + other.popped, acked + other.acked, failed + other.failed,
        deadLettered + other.deadLettered);
  }

  public boolean isZero() {
    return equals(ZERO);
  }
}
