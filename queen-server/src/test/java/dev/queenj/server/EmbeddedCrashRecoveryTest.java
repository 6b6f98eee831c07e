package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.testing.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server on the embedded Postgres killed with kill -9 while clients produce comes back on the same data directory
 * within seconds, with every record it acknowledged exactly once: whether its watchdog stopped the Postgres it left
 * behind or, the watchdog killed too, the restart had to.
 */
class EmbeddedCrashRecoveryTest {
  private static final String KAFKA_TOPIC = "crash-kafka";
  private static final String NATIVE_QUEUE = "crash-native";
  /** acknowledged records per client before the kill */
  private static final int ACKNOWLEDGED_EACH = 400;
  /**
   * Before the fix the restart gave up after the embedded Postgres' 60 s start-up wait. A start takes 3-11 s here;
   * the bound leaves room for a machine shared with parallel builds (19.9 s seen once at a load of 8 on 2 cores).
   */
  private static final Duration RESTART_BOUND = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

  @Test
  void theWatchdogStopsAKilledServersPostgresAndTheRestartKeepsEveryAcknowledgedRecord(@TempDir Path dataDir)
      throws Exception {
    crashAndRestart(dataDir, false);
  }

  @Test
  void aRestartStopsThePostgresAKilledServerAndItsWatchdogLeftRunning(@TempDir Path dataDir) throws Exception {
    crashAndRestart(dataDir, true);
  }

  private static void crashAndRestart(Path dataDir, boolean killChildrenToo) throws Exception {
    // given a server whose clients have several hundred records acknowledged each, killed while they produce
    Set<String> acknowledged;
    long postmaster;
    long killed;
    try (ServerProcess server = ServerProcess.start(dataDir)) {
      ServerProcess.Ports ports = server.awaitListening(WAIT);
      postmaster = Postmaster.of(dataDir.resolve("postgres")).orElseThrow().pid();
      try (Load load = new Load(ports)) {
        Eventually.until(WAIT, load::enoughAcknowledged, load::describe);
        killed = System.nanoTime();
        server.kill(killChildrenToo);
        acknowledged = load.stop();
      }
    }
    if (killChildrenToo) {
      assertThat(isAlive(postmaster)).as("Postgres %d left running by the killed server", postmaster).isTrue();
    } else {
      Eventually.until(Duration.ofSeconds(10), () -> !isAlive(postmaster),
          () -> "the watchdog did not stop Postgres " + postmaster);
      System.out.printf("the watchdog stopped Postgres %d ms after the kill%n",
          (System.nanoTime() - killed) / 1_000_000);
    }

    // when started again on the same data directory
    long restarting = System.nanoTime();
    try (ServerProcess again = ServerProcess.start(dataDir)) {
      ServerProcess.Ports ports = again.awaitListening(RESTART_BOUND.plus(WAIT));
      long restartMs = (System.nanoTime() - restarting) / 1_000_000;
      System.out.printf("restart after kill -9 (%s): %d ms, %d records acknowledged before the kill%n",
          killChildrenToo ? "JVM and its children killed" : "JVM killed", restartMs, acknowledged.size());

      // then it is up within seconds, the old Postgres is gone, and every acknowledged record is there exactly once
      assertThat(restartMs).as("restart, ms; output: %s", again.output()).isLessThan(RESTART_BOUND.toMillis());
      assertThat(isAlive(postmaster)).as("old Postgres %d alive", postmaster).isFalse();
      if (killChildrenToo) {
        assertThat(again.output()).as("the restart's output").anyMatch(line -> line.contains(
            "stopping the embedded Postgres (pid " + postmaster + ") that a previous server left running"));
      }
      Map<String, Integer> stored = storedIds(ports.kafka());
      assertThat(acknowledged.stream().filter(id -> !stored.containsKey(id)).sorted().toList())
          .as("acknowledged but missing").isEmpty();
      assertThat(stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList())
          .as("stored more than once").isEmpty();

      again.terminate();
      assertThat(again.awaitExit(Duration.ofSeconds(30))).as("exit code; output: %s", again.output())
          .isEqualTo(143);
    }
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** How often each record id is stored, read back through the Kafka view of both the topic and the queue. */
  private static Map<String, Integer> storedIds(int kafkaPort) {
    Map<String, Integer> stored = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + kafkaPort,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) WAIT.toMillis()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(KAFKA_TOPIC, NATIVE_QUEUE)) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Eventually.until(WAIT, () -> {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
          Matcher id = ID.matcher(new String(record.value(), StandardCharsets.UTF_8));
          stored.merge(id.find() ? id.group(1) : "unreadable", 1, Integer::sum);
        });
        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
      }, () -> "read " + stored.size() + " records, up to " + ends);
    }
    return stored;
  }

  /**
   * Two clients producing until stopped, each noting what the server acknowledged: a Kafka producer with acks=all
   * (the callback reported no error) and native pushes of ten messages (the answer was 200, each message queued).
   */
  private static final class Load implements AutoCloseable {
    private static final int IN_FLIGHT = 200;
    private final ServerProcess.Ports ports;
    private final KafkaProducer<byte[], byte[]> producer;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> byKafka = ConcurrentHashMap.newKeySet();
    private final Set<String> byHttp = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    Load(ServerProcess.Ports ports) {
      this.ports = ports;
      this.producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + ports.kafka(),
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000),
          new ByteArraySerializer(), new ByteArraySerializer());
      start("kafka-load", this::produce);
      start("http-load", this::push);
    }

    private void start(String name, Runnable work) {
      Thread thread = new Thread(work, name);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }

    boolean enoughAcknowledged() {
      return byKafka.size() >= ACKNOWLEDGED_EACH && byHttp.size() >= ACKNOWLEDGED_EACH;
    }

    String describe() {
      return byKafka.size() + " acknowledged by Kafka produce, " + byHttp.size() + " by native push";
    }

    private void produce() {
      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      for (int n = 0; !stopping.get(); n++) {
        String id = "k-" + n;
        try {
          if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            n--;
            continue;
          }
          producer.send(new ProducerRecord<>(KAFKA_TOPIC, payload(id)), (metadata, error) -> {
            inFlight.release();
            if (error == null) {
              byKafka.add(id);
            }
          });
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // the producer was closed by stop()
          return;
        }
      }
    }

    private void push() {
      for (int batch = 0; !stopping.get(); batch++) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          ids.add("h-" + batch + "-" + i);
        }
        String items = ids.stream().map(id -> "{\"queue\":\"" + NATIVE_QUEUE + "\",\"transactionId\":\"" + id
            + "\",\"payload\":" + new String(payload(id), StandardCharsets.UTF_8) + "}")
            .collect(Collectors.joining(","));
        try {
          HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + ports.http() + "/api/v1/push"))
              .header("Content-Type", "application/json").timeout(Duration.ofSeconds(15))
              .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[" + items + "]}")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (answer.statusCode() == 200) {
            for (JsonNode item : TestServer.json(answer.body())) {
              if (item.get("status").asText().equals("queued")) {
                byHttp.add(item.get("transaction_id").asText());
              }
            }
          }
        } catch (IOException e) {
          // the server is gone: nothing of this batch counts as acknowledged, and there is nobody left to push to
          return;
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private static byte[] payload(String id) {
      return ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Stops producing at once, dropping what is unacknowledged; returns every id the server acknowledged. */
    Set<String> stop() throws InterruptedException {
      stopping.set(true);
      producer.close(Duration.ZERO);
      for (Thread thread : threads) {
        thread.join(WAIT.toMillis());
      }
      Set<String> all = ConcurrentHashMap.newKeySet();
      all.addAll(byKafka);
      all.addAll(byHttp);
      return Set.copyOf(all);
    }

    @Override
    public void close() throws InterruptedException {
      if (!stopping.get()) {
        stop();
      }
    }
  }
}
