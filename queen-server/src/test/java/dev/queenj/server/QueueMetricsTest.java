package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.stats.StatsConfig;
import dev.queenj.core.testing.TestPostgres;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-queue dead letters and partitions and per-group lag on {@code /metrics/prometheus}: the values of the shared
 * five-second readings, tags only for the biggest queues and pairs, totals over everything, and series gone with
 * their queue. Readings may be up to five seconds old, hence the waits.
 */
@ExtendWith(RunningServer.class)
class QueueMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private final TestServer server;
  private final Api client;

  QueueMetricsTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  /**
   * qm-a: two partitions, three messages; queue mode pops one and sends it to the DLQ, so it lags on p1. qm-b: one
   * partition; g1 consumes b1, then b2 arrives, so g1 lags on it.
   */
  private static void work(Api client) {
    client.push("qm-a", "p1", "a1", "a2");
    client.push("qm-a", "p2", "a3");
    client.push("qm-b", "p1", "b1");
    JsonNode first = client.popPartition("qm-a", "p1", "batch=1");
    assertThat(Api.ids(first)).containsExactly("a1");
    client.ackAll(first, "__QUEUE_MODE__", "dlq");
    assertThat(client.consumeAll("qm-b", "g1")).containsExactly("b1");
    client.push("qm-b", "p1", "b2");
  }

  @Test
  void queuesAndLaggingGroupsHaveSeriesWithTheirValuesAndTotals() {
    work(client);

    Api.eventually(WAIT, () -> PrometheusScrape.of(server)
        .find("queen_consumer_group_lag_partitions{group=\"g1\",queue=\"qm-b\"}").orElse(0.0) == 1);
    PrometheusScrape scrape = PrometheusScrape.of(server);
    assertThat(scrape.value("queen_dlq_depth{queue=\"qm-a\"}")).isEqualTo(1);
    assertThat(scrape.value("queen_dlq_depth{queue=\"qm-b\"}")).isEqualTo(0);
    assertThat(scrape.value("queen_queue_partitions{queue=\"qm-a\"}")).isEqualTo(2);
    assertThat(scrape.value("queen_queue_partitions{queue=\"qm-b\"}")).isEqualTo(1);
    assertThat(scrape.value("queen_queues")).isEqualTo(2);
    assertThat(scrape.value("queen_dlq_depth_all")).isEqualTo(1);
    assertThat(scrape.value("queen_queue_partitions_all")).isEqualTo(3);
    assertThat(scrape.value("queen_consumer_group_lag_partitions{group=\"__QUEUE_MODE__\",queue=\"qm-a\"}"))
        .isEqualTo(1);
    assertThat(scrape.value("queen_consumer_group_lag_partitions_all")).isEqualTo(2);
    assertThat(scrape.value("queen_consumer_group_lag_seconds{group=\"g1\",queue=\"qm-b\"}")).isNotNegative();
    assertThat(scrape.value("queen_consumer_group_lag_seconds_max"))
        .isGreaterThanOrEqualTo(scrape.value("queen_consumer_group_lag_seconds{group=\"g1\",queue=\"qm-b\"}"));
    // JSON /metrics shows the same meters
    assertThat(server.get("/metrics").body().get("meters")).anySatisfy(meter -> {
      assertThat(meter.get("name").asText()).isEqualTo("queen.dlq.depth");
      assertThat(meter.get("tags").get("queue").asText()).isEqualTo("qm-a");
      assertThat(meter.get("values").get("value").asDouble()).isEqualTo(1);
    });

    // a deleted queue's series go with it
    assertThat(server.delete("/api/v1/resources/queues/qm-b").status()).isEqualTo(200);
    Api.eventually(WAIT, () -> PrometheusScrape.of(server).find("queen_queues").orElse(0.0) == 1);
    PrometheusScrape after = PrometheusScrape.of(server);
    assertThat(after.text().lines().filter(line -> line.startsWith("queen_")))
        .noneMatch(line -> line.contains("qm-b"));
    assertThat(after.value("queen_queue_partitions_all")).isEqualTo(2);
    assertThat(after.value("queen_consumer_group_lag_partitions_all")).isEqualTo(1);
  }

  @Test
  void theNumberOfSeriesIsASettingRefusedOutsideItsBounds() {
    assertThat(ConfigLoader.load(new String[0], Map.of()).stats().metricsQueueSeries()).isEqualTo(50);
    assertThat(ConfigLoader.load(new String[] {"--metrics-queue-series", "0"}, Map.of()).stats()
        .metricsQueueSeries()).isZero();
    assertThat(ConfigLoader.load(new String[0], Map.of("QUEEN_METRICS_QUEUE_SERIES", "7")).stats()
        .metricsQueueSeries()).isEqualTo(7);
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_METRICS_QUEUE_SERIES", "-1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEEN_METRICS_QUEUE_SERIES");
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], Map.of("QUEEN_METRICS_QUEUE_SERIES", "10001")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QUEEN_METRICS_QUEUE_SERIES");
  }

  @Test
  void onlyTheBiggestQueuesAndPairsCarryTagsWhileTotalsCountEverything() {
    QueenConfig config = new QueenConfig(new DatabaseConfig(TestPostgres.url(), TestServer.freshDataDir(), 4),
        TestServer.defaultHttp(), TestServer.kafka(true), 5_000)
        .withStats(StatsConfig.DEFAULTS.withMetricsQueueSeries(1));
    try (TestServer own = TestServer.start(config)) {
      work(new Api(own));

      Api.eventually(WAIT, () -> PrometheusScrape.of(own).find("queen_consumer_group_lag_partitions_all")
          .orElse(0.0) == 2);
      PrometheusScrape scrape = PrometheusScrape.of(own);
      // qm-a has the dead letter: it is the one with series
      assertThat(scrape.samples("queen_dlq_depth")).containsExactly("queen_dlq_depth{queue=\"qm-a\"} 1.0");
      assertThat(scrape.samples("queen_queue_partitions")).containsExactly("queen_queue_partitions{queue=\"qm-a\"} 2.0");
      assertThat(scrape.samples("queen_consumer_group_lag_partitions")).hasSize(1);
      assertThat(scrape.samples("queen_consumer_group_lag_seconds")).hasSize(1);
      assertThat(scrape.value("queen_queues")).isEqualTo(2);
      assertThat(scrape.value("queen_queue_partitions_all")).isEqualTo(3);
      assertThat(scrape.value("queen_dlq_depth_all")).isEqualTo(1);
    }
  }
}
