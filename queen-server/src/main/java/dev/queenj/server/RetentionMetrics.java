package dev.queenj.server;

import dev.queenj.core.retention.RetentionTotals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The retention and eviction services' totals on the Prometheus endpoint ({@code queen_retention_*}). */
final class RetentionMetrics {
  private RetentionMetrics() {}

  static void bind(RetentionTotals totals, MeterRegistry registry) {
    FunctionCounter.builder("queen.retention.cycles", totals, RetentionTotals::cycles)
        .description("retention and eviction cycles this instance ran").register(registry);
    FunctionCounter.builder("queen.retention.failures", totals, RetentionTotals::failures)
        .description("cycles that failed (the next one retries)").register(registry);
    FunctionCounter.builder("queen.retention.messages.deleted", totals, RetentionTotals::messagesDeleted)
        .description("messages deleted by retention and eviction").register(registry);
    FunctionCounter.builder("queen.retention.dead.letters.deleted", totals, RetentionTotals::deadLettersDeleted)
        .description("dead letters deleted by retention").register(registry);
    FunctionCounter.builder("queen.retention.partitions.removed", totals, RetentionTotals::partitionsRemoved)
        .description("empty idle partitions removed with their cursors").register(registry);
    FunctionCounter.builder("queen.retention.cursors.moved", totals, RetentionTotals::cursorsMoved)
        .description("cursors moved past deleted messages").register(registry);
    FunctionCounter.builder("queen.retention.kafka.producer.states.expired", totals,
            RetentionTotals::producerStatesExpired)
        .description("Kafka producers' sequence states in logs deleted past producer.id.expiration.ms")
        .register(registry);
    FunctionCounter.builder("queen.retention.kafka.producer.ids.expired", totals, RetentionTotals::producerIdsExpired)
        .description("Kafka producer ids deleted past producer.id.expiration.ms with no state left").register(registry);
    FunctionCounter.builder("queen.retention.kafka.transactional.ids.expired", totals,
            RetentionTotals::transactionalIdsExpired)
        .description("Kafka transactional ids forgotten past transactional.id.expiration.ms").register(registry);
    Gauge.builder("queen.retention.last.cycle.seconds", totals, t -> t.lastCycleMillis() / 1000.0)
        .description("how long the last cycle took").register(registry);
  }
}
