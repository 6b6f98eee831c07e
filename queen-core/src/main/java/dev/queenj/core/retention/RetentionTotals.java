package dev.queenj.core.retention;

import java.util.concurrent.atomic.AtomicLong;

/** Running totals over every cycle this instance ran, for metrics. */
public final class RetentionTotals {
  private final AtomicLong cycles = new AtomicLong();
  private final AtomicLong messagesDeleted = new AtomicLong();
  private final AtomicLong deadLettersDeleted = new AtomicLong();
  private final AtomicLong partitionsRemoved = new AtomicLong();
  private final AtomicLong cursorsMoved = new AtomicLong();
  private final AtomicLong producerStatesExpired = new AtomicLong();
  private final AtomicLong producerIdsExpired = new AtomicLong();
  private final AtomicLong transactionalIdsExpired = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile long lastCycleMillis;

  void add(RetentionRun run) {
    if (!run.ran()) {
      return;
    }
    cycles.incrementAndGet();
    messagesDeleted.addAndGet(run.messagesDeleted());
    deadLettersDeleted.addAndGet(run.deadLettersDeleted());
    partitionsRemoved.addAndGet(run.partitionsRemoved());
    cursorsMoved.addAndGet(run.cursorsMoved());
    producerStatesExpired.addAndGet(run.producerStatesExpired());
    producerIdsExpired.addAndGet(run.producerIdsExpired());
    transactionalIdsExpired.addAndGet(run.transactionalIdsExpired());
    lastCycleMillis = run.millis();
  }

  void failed() {
    failures.incrementAndGet();
  }

  public long cycles() {
    return cycles.get();
  }

  public long messagesDeleted() {
    return messagesDeleted.get();
  }

  public long deadLettersDeleted() {
    return deadLettersDeleted.get();
  }

  public long partitionsRemoved() {
    return partitionsRemoved.get();
  }

  public long cursorsMoved() {
    return cursorsMoved.get();
  }

  /** Kafka producers' sequence states in logs deleted past {@code producer.id.expiration.ms}. */
  public long producerStatesExpired() {
    return producerStatesExpired.get();
  }

  /** Kafka producer ids deleted past {@code producer.id.expiration.ms} with no state left. */
  public long producerIdsExpired() {
    return producerIdsExpired.get();
  }

  /** Kafka transactional ids forgotten past {@code transactional.id.expiration.ms}. */
  public long transactionalIdsExpired() {
    return transactionalIdsExpired.get();
  }

  public long failures() {
    return failures.get();
  }

  public long lastCycleMillis() {
    return lastCycleMillis;
  }
}
