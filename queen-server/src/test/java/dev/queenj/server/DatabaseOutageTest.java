package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.storage.DatabaseTimeouts;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.StoppablePostgres;
import dev.queenj.server.TestServer.Reply;
import dev.queenj.server.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postgres going away or hanging: requests are answered promptly with errors clients retry, {@code /health} says
 * the database is disconnected, nothing hangs, and everything recovers by itself once Postgres is back. Kafka
 * producers ride through the outage on their own retries and lose nothing.
 */
class DatabaseOutageTest {
  private static final int STATEMENT_TIMEOUT_MS = 1_500;
  private static final Duration RECOVERY = Duration.ofSeconds(30);
  @TempDir
  static Path dir;
  private static StoppablePostgres postgres;
  private static TestServer server;

  @BeforeAll
  static void start() {
    postgres = StoppablePostgres.start(dir.resolve("postgres"));
    DatabaseTimeouts timeouts = new DatabaseTimeouts(1_000, 2_000, STATEMENT_TIMEOUT_MS);
    server = TestServer.start(new DatabaseConfig(postgres.url(), dir.resolve("data"), 4, timeouts),
        TestServer.defaultHttp(), TestServer.kafka(true));
  }

  @AfterAll
  static void stop() {
    server.close();
    postgres.close();
  }

  @Test
  void whilePostgresIsDownRequestsAre503AndHealthSaysDisconnected() {
    new Api(server).push("down", "p", "m1");
    postgres.stop();
    try {
      Reply health = server.get("/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.body().get("database").asText()).isEqualTo("disconnected");

      long started = System.nanoTime();
      Reply pop = server.get("/api/v1/pop/queue/down");
      Reply configure = server.post("/api/v1/configure", "{\"queue\":\"down\"}");
      assertThat(elapsedMs(started)).as("answered at once, ms").isLessThan(STATEMENT_TIMEOUT_MS);
      for (Reply reply : List.of(pop, configure)) {
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body().get("error").asText()).isEqualTo("Database unavailable, try again");
      }
    } finally {
      postgres.start();
    }
    awaitRecovery();
    assertThat(Api.ids(new Api(server).pop("down", "batch=10"))).containsExactly("m1");
  }

  @Test
  void aHungPostgresIsAnsweredByTheDeadline() throws Exception {
    Api api = new Api(server);
    // the pop answered 503 may still claim its messages once Postgres wakes up; they come back when its lease ends
    api.configure("hung", "{\"leaseTime\":1}");
    api.push("hung", "p", "m1");
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>("hung-topic", 0, null, bytes("r0"))).get(30, TimeUnit.SECONDS);
      postgres.stall();
      try {
        long started = System.nanoTime();
        Reply pop = server.get("/api/v1/pop/queue/hung");
        assertThat(pop.status()).isEqualTo(503);
        assertThat(pop.body().get("error").asText()).isEqualTo("The database did not answer in time, try again");
        assertThat(elapsedMs(started)).as("answered by the deadline, ms")
            .isBetween((long) STATEMENT_TIMEOUT_MS - 100, STATEMENT_TIMEOUT_MS + 3_000L);

        started = System.nanoTime();
        assertThat(server.get("/health").status()).isEqualTo(503);
        assertThat(elapsedMs(started)).as("a health check answers within the connect timeout").isLessThan(3_000);

        // the server answers a produce it cannot store with a retriable error well before the client's own request
        // timeout (10 s) would have made it retry
        Future<?> sent = producer.send(new ProducerRecord<>("hung-topic", 0, null, bytes("r1")));
        Eventually.until(Duration.ofSeconds(8), () -> retries(producer) > 0,
            () -> "the producer saw no retriable answer: " + retries(producer));
        assertThat(sent.isDone()).isFalse();
      } finally {
        postgres.resume();
      }
      awaitRecovery();
      Eventually.until(Duration.ofSeconds(10), () -> Api.ids(api.pop("hung", "batch=10")).equals(List.of("m1")),
          () -> "m1 was not delivered again");
      producer.flush();
    }
    assertThat(read("hung-topic", 2)).containsExactly("r0", "r1");
  }

  @Test
  void aKafkaProducerRidesThroughAnOutageAndLosesNothing() throws Exception {
    String topic = "outage-topic";
    List<String> expected = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 50; i++) {
        expected.add("before-" + i);
        producer.send(new ProducerRecord<>(topic, 0, null, bytes("before-" + i))).get(30, TimeUnit.SECONDS);
      }
      postgres.stop();
      List<Future<?>> during = new ArrayList<>();
      try {
        for (int i = 0; i < 50; i++) {
          expected.add("during-" + i);
          during.add(producer.send(new ProducerRecord<>(topic, 0, null, bytes("during-" + i))));
        }
        Eventually.until(Duration.ofSeconds(20), () -> retries(producer) > 0,
            () -> "the producer saw no retriable answer");
      } finally {
        postgres.start();
      }
      for (Future<?> future : during) {
        future.get(60, TimeUnit.SECONDS);
      }
    }
    assertThat(read(topic, expected.size())).containsExactlyElementsOf(expected);
  }

  private static void awaitRecovery() {
    Eventually.until(RECOVERY, () -> server.get("/health").status() == 200, () -> "/health still not 200");
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return KafkaClients.producer(server, Map.of(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 90_000, ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100,
        ProducerConfig.LINGER_MS_CONFIG, 0));
  }

  private static double retries(KafkaProducer<?, ?> producer) {
    for (Map.Entry<org.apache.kafka.common.MetricName, ? extends Metric> metric : producer.metrics().entrySet()) {
      if (metric.getKey().name().equals("record-retry-total")
          && metric.getKey().group().equals("producer-metrics")) {
        return ((Number) metric.getValue().metricValue()).doubleValue();
      }
    }
    return 0;
  }

  /** Reads {@code count} values of partition 0 of {@code topic} from its beginning; fails on more or fewer. */
  private static List<String> read(String topic, int count) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(server,
        Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(new String(record.value(), StandardCharsets.UTF_8));
        }
      }
      assertThat(consumer.position(partition)).as("the log's end").isEqualTo((long) values.size());
    }
    return values;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long elapsedMs(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
