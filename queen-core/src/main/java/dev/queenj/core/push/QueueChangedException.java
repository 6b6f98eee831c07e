package dev.queenj.core.push;

import java.util.Set;

/**
 * An append found a queue different from the one it had resolved: deleted (possibly by another instance), or grown to
 * more Kafka partitions, so that new Queen partitions would have been placed over a stale count. Nothing was stored;
 * the caller forgets the queues and tries again, which resolves (or re-creates) them.
 */
public final class QueueChangedException extends RuntimeException {
  private final Set<String> queues;

  public QueueChangedException(Set<String> queues) {
    super("queue deleted or grown during append: " + queues, null, false, false);
    this.queues = Set.copyOf(queues);
  }

  public Set<String> queues() {
    return queues;
  }
}
