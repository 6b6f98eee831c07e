package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.stats.StatsConfig;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-queue dead letters, partitions and messages and per-group lag on {@code /metrics/prometheus}: the values of the
 * shared readings (the status routes' five-second reads, the resources views' count), tags only for the biggest
 * queues and pairs, totals over everything, and series gone with their queue. Readings may be up to five seconds old,
 * hence the waits.
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
   * qm-a: two partitions, three messages; queue mode pops one and sends it to the DLQ, so it lags on p1 (and on p2,
   * which it reads without a cursor there yet: 2 messages behind). qm-b: one partition; g1 consumes b1, then b2
   * arrives, so g1 lags on it (1 message behind).
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
    // messages: qm-a's a1 is behind queue mode's cursor, the rest is not consumed yet; nothing is leased
    assertThat(scrape.value("queen_queue_depth_total_messages{queue=\"qm-a\"}")).isEqualTo(3);
    assertThat(scrape.value("queen_queue_depth_pending_messages{queue=\"qm-a\"}")).isEqualTo(2);
    assertThat(scrape.value("queen_queue_depth_total_messages{queue=\"qm-b\"}")).isEqualTo(2);
    assertThat(scrape.value("queen_queue_depth_pending_messages{queue=\"qm-b\"}")).isEqualTo(1);
    assertThat(scrape.value("queen_queue_depth_processing_messages{queue=\"qm-a\"}")).isEqualTo(0);
    assertThat(scrape.value("queen_queue_depth_total_messages_all")).isEqualTo(5);
    assertThat(scrape.value("queen_queue_depth_pending_messages_all")).isEqualTo(3);
    assertThat(scrape.value("queen_queue_depth_processing_messages_all")).isEqualTo(0);
    assertThat(scrape.value("queen_consumer_group_lag_messages{group=\"__QUEUE_MODE__\",queue=\"qm-a\"}"))
        .isEqualTo(2);
    assertThat(scrape.value("queen_consumer_group_lag_messages{group=\"g1\",queue=\"qm-b\"}")).isEqualTo(1);
    assertThat(scrape.value("queen_consumer_group_lag_messages_all")).isEqualTo(3);
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
    assertThat(after.value("queen_queue_depth_total_messages_all")).isEqualTo(3);
    assertThat(after.value("queen_consumer_group_lag_messages_all")).isEqualTo(2);
  }

  @Test
  void pendingMessagesFollowConsumptionOnceTheSharedCountIsRedoneAndAScrapeInsideItsWindowCountsNothing() {
    // given: 5 messages; the first scrape after them counts them (the last count did not see this queue)
    client.push("qd", "p1", "d1", "d2", "d3", "d4", "d5");
    long before = server.countReads();
    PrometheusScrape first = PrometheusScrape.of(server);
    assertThat(server.countReads()).isEqualTo(before + 1);
    assertThat(first.value("queen_queue_depth_total_messages{queue=\"qd\"}")).isEqualTo(5);
    assertThat(first.value("queen_queue_depth_pending_messages{queue=\"qd\"}")).isEqualTo(5);

    // when: group g consumes d1 and d2, then pops d3 and keeps it leased
    client.ackAll(client.pop("qd", "batch=2&consumerGroup=g"), "g", "completed");
    assertThat(Api.ids(client.pop("qd", "batch=1&consumerGroup=g"))).containsExactly("d3");

    // then: scrapes and the resources views inside the window answer the first count and count nothing
    PrometheusScrape inside = PrometheusScrape.of(server);
    assertThat(server.get("/api/v1/resources/overview").status()).isEqualTo(200);
    PrometheusScrape.of(server);
    assertThat(server.countReads()).isEqualTo(before + 1);
    assertThat(inside.value("queen_queue_depth_pending_messages{queue=\"qd\"}")).isEqualTo(5);

    // and: once the window passed, a scrape counts again and sees the consumption
    Api.eventually(WAIT, () -> PrometheusScrape.of(server)
        .find("queen_queue_depth_pending_messages{queue=\"qd\"}").orElse(0.0) == 3);
    assertThat(server.countReads()).isGreaterThan(before + 1);
    PrometheusScrape after = PrometheusScrape.of(server);
    assertThat(after.value("queen_queue_depth_total_messages{queue=\"qd\"}")).isEqualTo(5);
    assertThat(after.value("queen_queue_depth_processing_messages{queue=\"qd\"}")).isEqualTo(1);
    assertThat(after.value("queen_consumer_group_lag_messages{group=\"g\",queue=\"qd\"}")).isEqualTo(3);
  }

  @Test
  void aKafkaGroupsLagInMessagesIsASeriesAndInTheOverviewsLag() throws Exception {
    // given: 5 records on partition 0 of a topic and 2 on partition 1; a Kafka group commits 2 on partition 0 and
    // everything on partition 1
    String topic = "qm-topic-" + UUID.randomUUID();
    String group = "qm-kafka-" + UUID.randomUUID();
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      for (int i = 0; i < 7; i++) {
        producer.send(new ProducerRecord<>(topic, i < 5 ? 0 : 1, null, ("r" + i).getBytes(StandardCharsets.UTF_8)))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    }
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server, Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
      consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2),
          new TopicPartition(topic, 1), new OffsetAndMetadata(2)));
    }

    // then: 3 records behind, as a series and in the total
    String series = "queen_consumer_group_lag_messages{group=\"" + group + "\",queue=\"" + topic + "\"}";
    Api.eventually(WAIT, () -> PrometheusScrape.of(server).find(series).orElse(0.0) == 3);
    PrometheusScrape scrape = PrometheusScrape.of(server);
    assertThat(scrape.value("queen_consumer_group_lag_messages_all")).isEqualTo(3);
    assertThat(scrape.value("queen_queue_depth_total_messages{queue=\"" + topic + "\"}")).isEqualTo(7);
    // pending follows native cursors only: the Kafka group's commits are its lag, not the topic's pending
    assertThat(scrape.value("queen_queue_depth_pending_messages{queue=\"" + topic + "\"}")).isEqualTo(7);

    // and: the overview's lag is over the group's two Kafka partitions, 3 and 0 records behind
    JsonNode lag = server.get("/api/v1/resources/overview").body().get("lag");
    assertThat(lag.get("offset").get("max").asLong()).isEqualTo(3);
    assertThat(lag.get("offset").get("min").asLong()).isEqualTo(0);
    assertThat(lag.get("offset").get("avg").asDouble()).isEqualTo(1.5);
    assertThat(lag.get("time").get("max").asLong()).isNotNegative();
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
      // qm-a has the most messages not consumed yet, queue mode on it is the most behind
      Api.eventually(WAIT, () -> PrometheusScrape.of(own).find("queen_queue_depth_total_messages_all")
          .orElse(0.0) == 5);
      PrometheusScrape depths = PrometheusScrape.of(own);
      assertThat(depths.samples("queen_queue_depth_pending_messages"))
          .containsExactly("queen_queue_depth_pending_messages{queue=\"qm-a\"} 2.0");
      assertThat(depths.samples("queen_queue_depth_total_messages")).hasSize(1);
      assertThat(depths.samples("queen_queue_depth_processing_messages")).hasSize(1);
      assertThat(depths.samples("queen_consumer_group_lag_messages")).containsExactly(
          "queen_consumer_group_lag_messages{group=\"__QUEUE_MODE__\",queue=\"qm-a\"} 2.0");
      assertThat(depths.value("queen_queue_depth_pending_messages_all")).isEqualTo(3);
      assertThat(depths.value("queen_consumer_group_lag_messages_all")).isEqualTo(3);
      assertThat(scrape.value("queen_queues")).isEqualTo(2);
      assertThat(scrape.value("queen_queue_partitions_all")).isEqualTo(3);
      assertThat(scrape.value("queen_dlq_depth_all")).isEqualTo(1);
    }
  }
}
