package dev.queenj.core.push;

import java.util.Set;

/**
 * An append found no high-watermark row for a queue it had cached: the queue was deleted (possibly by another
 * instance) after it was resolved. The transaction is rolled back; the caller forgets the queues and tries again,
 * which re-creates them.
 */
public final class QueueVanishedException extends RuntimeException {
  private final Set<String> queues;

  QueueVanishedException(Set<String> queues) {
    super("queue deleted during append: " + queues, null, false, false);
    this.queues = Set.copyOf(queues);
  }

  public Set<String> queues() {
    return queues;
  }
}
