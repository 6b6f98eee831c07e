package dev.queenj.core.notify;

import dev.queenj.core.log.LogAppend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process wake-ups: whoever waits for messages on a queue (a parked long-poll, a Kafka fetch) registers a
 * listener; every committed append signals the queues it touched, with what it appended to their logs when the
 * appender knows it. Listeners run on the committing thread and must only hop to their own context.
 *
 * <p>Appends committed here are also handed to the {@linkplain #forwardTo forwarder}, which tells the other instances
 * on the database ({@link AppendNotifications}); what they tell this one comes back through
 * {@link #appendedElsewhere} and {@link #somethingChanged}, which wake the listeners here and forward nothing.
 */
public final class AppendSignal {
  /** Told of committed appends to the queue it listens to. */
  @FunctionalInterface
  public interface Listener {
    /**
     * {@code known}: what the appends added to each of the queue's logs they touched, when the appender knew it; empty
     * when it did not (an append inside a transaction), so whoever needs the records reads them.
     */
    void appended(List<LogAppend> known);
  }

  private static final Logger LOG = LoggerFactory.getLogger(AppendSignal.class);

  private final ConcurrentHashMap<String, Set<Listener>> listeners = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> appends = new ConcurrentHashMap<>();
  private volatile Consumer<Collection<String>> forwarder = queues -> { };

  /**
   * Hands the queues of every append committed here to {@code forwarder} too (on the committing thread; it must not
   * block).
   */
  public void forwardTo(Consumer<Collection<String>> forwarder) {
    this.forwarder = forwarder;
  }

  /** Registers {@code listener} for appends to {@code queue}; the returned handle removes it. */
  public AutoCloseable listen(String queue, Listener listener) {
    listeners.computeIfAbsent(queue, q -> new CopyOnWriteArraySet<>()).add(listener);
    return () -> listeners.computeIfPresent(queue, (q, set) -> {
      set.remove(listener);
      return set.isEmpty() ? null : set;
    });
  }

  /** Appends to these queues committed; what they appended is not known here. */
  public void appended(Collection<String> queues) {
    forward(queues);
    appendedElsewhere(queues);
  }

  /**
   * Another instance committed appends to these queues: wakes their listeners here (who read what was appended) and
   * forwards nothing.
   */
  public void appendedElsewhere(Collection<String> queues) {
    for (String queue : queues) {
      signal(queue, List.of());
    }
  }

  /**
   * Appends may have committed anywhere, to any queue (notifications from other instances may have been missed, or
   * named too many queues to list): wakes every listener here, which reads again.
   */
  public void somethingChanged() {
    Set<String> queues = new HashSet<>(listeners.keySet());
    queues.addAll(appends.keySet());
    appendedElsewhere(queues);
  }

  /**
   * Appends to these queues committed; {@code appends} tells what they added to each log, and is asked only when
   * someone listens to one of the queues (building the records is work for nobody otherwise).
   */
  public void appended(Collection<String> queues, Supplier<List<LogAppend>> appends) {
    forward(queues);
    if (queues.stream().anyMatch(listeners::containsKey)) {
      appended(appends.get());
    } else {
      appendedElsewhere(queues);
    }
  }

  /** These appends committed, each to its queue's log. */
  private void appended(List<LogAppend> committed) {
    Map<String, List<LogAppend>> byQueue = new LinkedHashMap<>();
    for (LogAppend append : committed) {
      byQueue.computeIfAbsent(append.queue(), q -> new ArrayList<>()).add(append);
    }
    byQueue.forEach(this::signal);
  }

  private void forward(Collection<String> queues) {
    if (queues.isEmpty()) {
      return;
    }
    try {
      forwarder.accept(queues);
    } catch (RuntimeException e) {
      // telling the other instances is a wake-up, never part of the append: their periodic re-check covers it
      LOG.warn("forwarding appends to {} failed", queues, e);
    }
  }

  private void signal(String queue, List<LogAppend> known) {
    appends.computeIfAbsent(queue, q -> new AtomicLong()).incrementAndGet();
    Set<Listener> waiting = listeners.get(queue);
    if (waiting != null) {
      for (Listener listener : waiting) {
        try {
          listener.appended(known);
        } catch (RuntimeException e) {
          // one listener's failure (say, its event loop shutting down) must not keep the others waiting
          LOG.warn("an append listener of queue {} failed", queue, e);
        }
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
