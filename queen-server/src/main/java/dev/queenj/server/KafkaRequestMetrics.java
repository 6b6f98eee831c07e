package dev.queenj.server;

import dev.queenj.kafka.api.ApiLatency;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * {@code queen.kafka.requests}: how long each Kafka request took from dispatch to its answer, by API name and by the
 * error the whole request was answered with ({@code none} when its handler answered). Both tags come from Kafka's
 * fixed enums, so the series are bounded by the APIs served times the request-level errors they meet.
 */
final class KafkaRequestMetrics implements ApiLatency {
  static final String NAME = "queen.kafka.requests";

  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  private record Key(ApiKeys api, Errors error) {}

  KafkaRequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void record(ApiKeys api, Errors error, long nanos) {
    timers.computeIfAbsent(new Key(api, error), this::timer).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(Key key) {
    return Timer.builder(NAME)
        .description("Kafka requests, dispatch to answer (a Fetch's wait for records included)")
        .tag("api", key.api().name)
        .tag("error", key.error().name().toLowerCase(java.util.Locale.ROOT))
        .publishPercentileHistogram()
        .register(registry);
  }
}
