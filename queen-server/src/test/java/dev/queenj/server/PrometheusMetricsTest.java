package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import dev.queenj.server.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

  private String scrape() {
    Reply reply = server.get("/metrics/prometheus");
    assertThat(reply.status()).isEqualTo(200);
    return reply.body().asText();
  }

  /** The value of the sample line starting with {@code series} (name, labels and the space before the value). */
  private static double value(String scrape, String series) {
    return scrape.lines().filter(line -> line.startsWith(series)).findFirst()
        .map(line -> Double.parseDouble(line.substring(series.length()).trim().split(" ")[0]))
        .orElseThrow(() -> new AssertionError("no " + series + "in the scrape"));
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
