package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.core.retention.RetentionService;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.core.testing.TestPostgres;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** Native retention over HTTP: queue options set by configure, cycles run directly, and their metrics. */
@ExtendWith(RunningServer.class)
class RetentionTest {
  /** Reads what retention left, straight from the tables. */
  @RegisterExtension
  static final TestDatabase DB = new TestDatabase(2);
  private final TestServer server;

  RetentionTest(TestServer server) {
    this.server = server;
  }

  @Test
  void messagesOlderThanRetentionSecondsAreGoneAndPopsFindNothingLeft() {
    // given a queue keeping messages one second, and a group that consumed one of three
    assertThat(server.post("/api/v1/configure", "{\"queue\":\"brief\",\"options\":{\"retentionEnabled\":true,"
        + "\"retentionSeconds\":1}}").status()).isEqualTo(200);
    assertThat(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"brief\",\"partition\":\"p\",\"payload\":1},"
        + "{\"queue\":\"brief\",\"partition\":\"p\",\"payload\":2},{\"queue\":\"brief\",\"partition\":\"p\","
        + "\"payload\":3}]}").status()).isEqualTo(200);
    assertThat(server.get("/api/v1/pop/queue/brief?consumerGroup=g&autoAck=true").body().get("messages"))
        .hasSize(1);

    // when retention cycles run until they are older than a second
    RetentionService retention = new RetentionService(DB.database(), RetentionConfig.DEFAULTS);
    Eventually.until(Duration.ofSeconds(20), () -> TestPostgres.await(retention.runRetention()).messagesDeleted() > 0,
        () -> "nothing deleted yet");

    // then neither the group nor queue mode finds anything, and the queue counts no messages
    assertThat(server.get("/api/v1/pop/queue/brief?consumerGroup=g").body().get("error").asText())
        .isEqualTo("no_available_partition");
    assertThat(server.get("/api/v1/pop/queue/brief").body().get("messages")).isEmpty();
  }

  @Test
  void theServiceReportsOnThePrometheusEndpoint() {
    String metrics = server.get("/metrics/prometheus").body().asText();

    assertThat(metrics).contains("queen_retention_cycles_total", "queen_retention_messages_deleted_total",
        "queen_retention_partitions_removed_total", "queen_retention_last_cycle_seconds",
        "queen_retention_kafka_producer_states_expired_total", "queen_retention_kafka_producer_ids_expired_total",
        "queen_retention_kafka_transactional_ids_expired_total");
  }
}
