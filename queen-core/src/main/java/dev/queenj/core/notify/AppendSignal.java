package dev.queenj.core.notify;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-process wake-ups: whoever waits for messages on a queue (a parked long-poll, later a Kafka fetch) registers a
 * listener; every committed append signals the queues it touched. Listeners run on the committing thread and must
 * only hop to their own context.
 */
public final class AppendSignal {
  private final ConcurrentHashMap<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> appends = new ConcurrentHashMap<>();

  /** Registers {@code listener} for appends to {@code queue}; the returned handle removes it. */
  public AutoCloseable listen(String queue, Runnable listener) {
    listeners.computeIfAbsent(queue, q -> new CopyOnWriteArraySet<>()).add(listener);
    return () -> listeners.computeIfPresent(queue, (q, set) -> {
      set.remove(listener);
      return set.isEmpty() ? null : set;
    });
  }

  public void appended(Collection<String> queues) {
    for (String queue : queues) {
      appends.computeIfAbsent(queue, q -> new AtomicLong()).incrementAndGet();
      Set<Runnable> waiting = listeners.get(queue);
      if (waiting != null) {
        waiting.forEach(Runnable::run);
      }
    }
  }

  /** How many appends to {@code queue} this instance has signalled: a count that only grows, to notice news by. */
  public long appends(String queue) {
    AtomicLong count = appends.get(queue);
    return count == null ? 0 : count.get();
  }

  /** How many listeners wait on any queue; for metrics and shutdown. */
  public int waiting() {
    return listeners.values().stream().mapToInt(Set::size).sum();
  }
}
