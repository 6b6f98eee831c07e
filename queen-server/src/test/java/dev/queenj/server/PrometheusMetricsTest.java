package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.kafka.KafkaClients;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's meters on {@code /metrics/prometheus} and JSON {@code /metrics}: latency per HTTP route template
 * and per Kafka API, the Postgres pools, group-commit batch sizes, JVM and process meters. The shared server serves
 * every test class, so counts are compared before and after this test's own work.
 */
@ExtendWith(RunningServer.class)
class PrometheusMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String QUEUE = "prom-metrics-q";
  private static final String TOPIC = "prom-metrics-topic";
  private static final Path DASHBOARD = Path.of(System.getProperty("basedir", "."))
      .resolve("../docs/grafana-queen-j.json").normalize();
  /** A metric name in a query: every metric of ours starts so, and no label, function or variable does. */
  private static final Pattern METRIC = Pattern.compile("\\b(queen|jvm|process|system)_[A-Za-z0-9_]+");
  private final TestServer server;
  private final Api client;

  PrometheusMetricsTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @Test
  void httpRoutesAreTimedByTemplateNeverByConcretePath() {
    client.push(QUEUE, "p1", "a", "b");
    assertThat(client.pop(QUEUE, "batch=10&wait=false").get("messages")).hasSize(2);
    assertThat(server.get("/no/such/route/" + QUEUE).status()).isEqualTo(404);
    // a failure answered by the failure handler (Postgres refuses NUL) still names the route it failed on
    assertThat(server.post("/api/v1/configure", "{\"queue\":\"" + QUEUE + "-bad\",\"namespace\":\"a\\u0000b\"}")
        .status()).isEqualTo(400);

    Api.eventually(WAIT, () -> scrape().contains(
        "queen_http_requests_seconds_count{method=\"GET\",route=\"/api/v1/pop/queue/:queue\",status=\"2xx\"}"));
    String scrape = scrape();
    assertThat(scrape)
        .contains("queen_http_requests_seconds_count{method=\"POST\",route=\"/api/v1/push\",status=\"2xx\"}")
        .contains("queen_http_requests_seconds_bucket{method=\"POST\",route=\"/api/v1/push\",status=\"2xx\",le=")
        .contains("queen_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"4xx\"}")
        .contains("queen_http_requests_seconds_count{method=\"POST\",route=\"/api/v1/configure\",status=\"4xx\"}");
    assertThat(scrape.lines().filter(line -> line.startsWith("queen_http_requests")))
        .noneMatch(line -> line.contains(QUEUE))
        .noneMatch(line -> line.contains("/no/such"));
  }

  @Test
  void kafkaApisPoolsBatchesAndTheJvmAreMeasured() throws Exception {
    double batchesBefore = value(scrape(), "queen_push_batch_messages_count ");
    double messagesBefore = value(scrape(), "queen_push_batch_messages_sum ");
    double failedBefore = value(scrape(), "queen_db_statements_failed_total ");
    client.push(QUEUE, "p1", "a", "b");
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      producer.send(new ProducerRecord<>(TOPIC, 0, null, "r".getBytes(StandardCharsets.UTF_8)))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(server.post("/api/v1/configure", "{\"queue\":\"" + QUEUE + "-bad\",\"namespace\":\"a\\u0000b\"}")
        .status()).isEqualTo(400);

    String scrape = scrape();
    assertThat(scrape)
        .contains("queen_kafka_requests_seconds_count{api=\"Produce\",error=\"none\"}")
        .contains("queen_kafka_requests_seconds_bucket{api=\"Produce\",error=\"none\",le=")
        .contains("queen_kafka_requests_seconds_count{api=\"Metadata\",error=\"none\"}")
        .contains("queen_db_pool_connections_in_use{pool=\"queen\"}")
        .contains("queen_db_pool_connections_max{pool=\"queen-generic-plan\"}")
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads")
        .contains("process_uptime_seconds")
        .contains("queen_push_batch_messages_bucket{le=\"1.0\"}");
    assertThat(value(scrape, "queen_db_pool_acquire_seconds_count{pool=\"queen\"} ")).isPositive();
    // the push and the produce committed one after the other: two batches, three messages at least
    assertThat(value(scrape, "queen_push_batch_messages_count ") - batchesBefore).isGreaterThanOrEqualTo(2);
    assertThat(value(scrape, "queen_push_batch_messages_sum ") - messagesBefore).isGreaterThanOrEqualTo(3);
    assertThat(value(scrape, "queen_db_statements_failed_total ") - failedBefore).isGreaterThanOrEqualTo(1);

    JsonNode json = server.get("/metrics").body();
    assertThat(meters(json, "queen.http.requests"))
        .anyMatch(tags -> tags.path("route").asText().equals("/api/v1/push"))
        .noneMatch(tags -> tags.path("route").asText().contains(QUEUE));
    assertThat(meters(json, "queen.kafka.requests"))
        .anyMatch(tags -> tags.path("api").asText().equals("Produce") && tags.path("error").asText().equals("none"));
    assertThat(meters(json, "queen.push.batch.messages")).isNotEmpty();
    assertThat(meters(json, "queen.db.pool.connections.in.use"))
        .anyMatch(tags -> tags.path("pool").asText().equals("queen"));
    assertThat(meters(json, "queen.db.statements.failed")).isNotEmpty();
    assertThat(meters(json, "jvm.memory.used")).isNotEmpty();
  }

  @Test
  void kafkaFetchesWaitingForRecordsAreCounted() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      producer.send(new ProducerRecord<>(TOPIC, 0, null, "r".getBytes(StandardCharsets.UTF_8)))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server,
        Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1_500))) {
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      // a short poll returns while its fetch, at the end of the log, stays parked on the server
      Api.eventually(WAIT, () -> {
        assertThat(consumer.poll(Duration.ofMillis(50))).isEmpty();
        return PrometheusScrape.of(server).value("queen_kafka_fetches_parked") >= 1;
      });
    }
    Api.eventually(WAIT, () -> PrometheusScrape.of(server).value("queen_kafka_fetches_parked") == 0);
  }

  /**
   * Every query of docs/grafana-queen-j.json names only metrics this server exposes, once it has done the work that
   * makes each appear (a Kafka request, a dead letter, a lagging group, a garbage collection).
   */
  @Test
  void theGrafanaDashboardQueriesOnlyMetricsTheServerExposes() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    List<String> queries = new ArrayList<>();
    collectQueries(dashboard, queries);
    Set<String> used = new TreeSet<>();
    for (String query : queries) {
      Matcher metric = METRIC.matcher(query);
      while (metric.find()) {
        used.add(metric.group());
      }
    }
    assertThat(used).as("metrics the dashboard's queries use").contains("queen_dlq_depth",
        "queen_consumer_group_lag_seconds", "queen_consumer_group_lag_messages", "queen_queue_depth_pending_messages",
        "queen_http_requests_seconds_bucket", "jvm_gc_pause_seconds_sum");

    client.push(QUEUE, "p1", "a", "b");
    client.ackAll(client.popPartition(QUEUE, "p1", "batch=1&consumerGroup=g"), "g", "dlq");
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(server, Map.of())) {
      producer.send(new ProducerRecord<>(TOPIC, 0, null, "r".getBytes(StandardCharsets.UTF_8)))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    System.gc(); // the GC meters appear with the first collection the JVM reports

    Set<String> missing = new TreeSet<>(used);
    try {
      Api.eventually(WAIT, () -> {
        missing.retainAll(used);
        missing.addAll(used);
        missing.removeAll(PrometheusScrape.of(server).names());
        return missing.isEmpty();
      });
    } catch (AssertionError e) {
      throw new AssertionError("the dashboard queries metrics the server does not expose: " + missing, e);
    }
  }

  /** Every {@code expr} of the panels and every query string of the template variables. */
  private static void collectQueries(JsonNode node, List<String> queries) {
    node.fields().forEachRemaining(field -> {
      if (Set.of("expr", "query", "definition").contains(field.getKey()) && field.getValue().isTextual()) {
        queries.add(field.getValue().asText());
      }
    });
    node.elements().forEachRemaining(child -> collectQueries(child, queries));
  }

  private String scrape() {
    return PrometheusScrape.of(server).text();
  }

  /** The value of the sample line starting with {@code series} (name and labels, then a space). */
  private static double value(String scrape, String series) {
    return new PrometheusScrape(scrape).value(series.stripTrailing());
  }

  /** The tags of every JSON meter named {@code name}. */
  private static List<JsonNode> meters(JsonNode json, String name) {
    List<JsonNode> tags = new ArrayList<>();
    for (JsonNode meter : json.get("meters")) {
      if (meter.get("name").asText().equals(name)) {
        tags.add(meter.get("tags"));
      }
    }
    return tags;
  }
}
