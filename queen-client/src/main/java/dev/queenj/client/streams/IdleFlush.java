package dev.queenj.client.streams;

import dev.queenj.client.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a runner flushes which partition, and by which clock (spec §3 item 4), decided without I/O; the runner reads
 * and sends. Every {@code interval} it flushes each partition it took a batch of in the last five minutes (as Queen's
 * SDKs) that a pop has since shown drained: a pop sent after that batch committed answered below both caps (fewer
 * than {@code batchSize} messages from fewer than {@code maxPartitions} partitions) without it, so the server had
 * nothing more of it for this group. The flush's clock is that pop's send time, not "now": a partition is closed
 * only up to a moment when all its messages were known processed. Queen's SDKs flush by the clock alone, which, when
 * the runner lags, closes windows whose messages are still queued. A batch that did not commit keeps its lease until
 * it expires, so pops skip its partition although its messages are pending: that partition is not drained until a
 * batch of it commits. Used by the runner's thread only.
 */
final class IdleFlush {
  /** Partitions touched this long ago are no longer flushed, as in Queen's SDKs. */
  static final Duration RECENT = Duration.ofMinutes(5);
  private final Duration interval;
  private final Map<String, Touched> touched = new LinkedHashMap<>();
  private long nextNanos;

  /** One partition to flush now: ids and names for the cycle, and the clock ripeness is judged by (epoch ms). */
  record Due(String partitionId, String partition, String consumerGroup, long clockMs) {
  }

  private static final class Touched {
    private final String partition;
    private final String consumerGroup;
    private final long atNanos;
    private boolean committed;
    private long drainedAtMs = Long.MIN_VALUE;

    Touched(String partition, String consumerGroup, long atNanos) {
      this.partition = partition;
      this.consumerGroup = consumerGroup;
      this.atNanos = atNanos;
    }
  }

  /** {@link Duration#ZERO} turns it off. */
  IdleFlush(Duration interval, long nowNanos) {
    this.interval = interval;
    this.nextNanos = nowNanos + interval.toNanos();
  }

  /** Off for stateless streams and event-time windows, else the options' interval or the window kind's default. */
  static IdleFlush of(Stream stream, RunOptions options, long nowNanos) {
    WindowAggregation window = stream.window();
    Duration interval = window == null || window.eventTime() != null ? Duration.ZERO
        : options.idleFlush() == null ? window.window().defaultIdleFlush() : options.idleFlush();
    return new IdleFlush(interval, nowNanos);
  }

  /** A pop brought a batch of this partition: not drained until it commits and a later pop shows it. */
  void took(Message first, long nowNanos) {
    touched.put(first.partitionId(), new Touched(first.partition(), first.consumerGroup(), nowNanos));
  }

  void committed(String partitionId) {
    Touched partition = touched.get(partitionId);
    if (partition != null) {
      partition.committed = true;
    }
  }

  /** A pop sent at {@code sentAtMs} answered {@code messages} messages of {@code partitionIds}. */
  void popped(Set<String> partitionIds, int messages, long sentAtMs, RunOptions options) {
    if (messages >= options.batchSize() || partitionIds.size() >= options.maxPartitions()) {
      return; // a full answer says nothing about the partitions it left out
    }
    touched.forEach((partitionId, partition) -> {
      if (partition.committed && !partitionIds.contains(partitionId)) {
        partition.drainedAtMs = sentAtMs;
      }
    });
  }

  /** The partitions to flush now; empty until the interval passed since the last time. */
  List<Due> due(long nowNanos) {
    List<Due> due = new ArrayList<>();
    if (interval.isZero() || nowNanos - nextNanos < 0) {
      return due;
    }
    nextNanos = nowNanos + interval.toNanos();
    touched.values().removeIf(partition -> nowNanos - partition.atNanos > RECENT.toNanos());
    touched.forEach((partitionId, partition) -> {
      if (partition.drainedAtMs != Long.MIN_VALUE) {
        due.add(new Due(partitionId, partition.partition, partition.consumerGroup, partition.drainedAtMs));
      }
    });
    return due;
  }
}
