package dev.queenj.server.kafka;

import static dev.queenj.server.kafka.KafkaClusterFailoverTest.coordinatorOf;
import static dev.queenj.server.kafka.KafkaClusterTest.createTopicSeenByEveryInstance;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.queenj.core.testing.Eventually;
import dev.queenj.server.ServerCluster;
import dev.queenj.server.ServerCluster.Member;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.util.ThroughputThrottler;
import org.apache.kafka.tools.VerifiableConsumer;
import org.apache.kafka.tools.VerifiableProducer;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own verifiable producer and consumer, the tools Kafka's system tests judge brokers with, against three
 * instances (child JVMs) on one Postgres, with kill -9 of the consumer group's coordinator in the middle of the run.
 * Their JSON event lines are the evidence: every value the producer printed as {@code producer_send_success}
 * (acks=all) is printed by a consumer as {@code record_data}, none is lost; values consumed more than once are
 * counted and printed, as at-least-once allows them around the rebalance the kill causes.
 */
class KafkaClusterVerifiableTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RECORDS = 3_000;
  private static final int PARTITIONS = 6;
  /**
   * The producer's keys: "0".."11", one after the other. Without keys Kafka's partitioner sticks to one partition
   * until a batch.size (16 KiB) of these small records went there, so 3,000 of them land in a handful of stints and
   * often leave a partition, sometimes both of one consumer's, without any record. These twelve keys hash to every one
   * of the six partitions (250 to 750 records each), whatever the timing.
   */
  private static final int REPEATING_KEYS = 12;
  /** Records per second: the run lasts long enough (~12 s) for the kill to land in the middle of it. */
  private static final int THROUGHPUT = 250;
  private static final int SESSION_TIMEOUT_MS = 3_000;
  private static final Duration DEADLINE = Duration.ofSeconds(45);

  @Test
  void verifiableProducerAndConsumersLoseNoAckedRecordWhenAnInstanceIsKilled() throws Exception {
    String topic = "verifiable-" + UUID.randomUUID();
    String group = "verifiable-" + UUID.randomUUID();
    try (ServerCluster cluster = ServerCluster.processes(3, Map.of())) {
      String bootstrap = cluster.bootstrap();
      createTopicSeenByEveryInstance(cluster, topic, PARTITIONS);
      // given three verifiable consumers in one group, sharing the six partitions
      List<Events> consumerEvents = new ArrayList<>();
      List<VerifiableConsumer> consumers = new ArrayList<>();
      List<Thread> consuming = new ArrayList<>();
      Events producerEvents = new Events();
      Thread producing = null;
      long killedAfterAcks;
      try {
        for (int i = 0; i < 3; i++) {
          Events events = new Events();
          consumerEvents.add(events);
          consumers.add(verifiableConsumer(bootstrap, topic, group, events));
          consuming.add(start(consumers.get(i)::run, "verifiable-consumer-" + i));
        }
        Eventually.until(Duration.ofSeconds(20),
            () -> consumerEvents.stream().allMatch(events -> assignedPartitions(events) == 2),
            () -> "partitions held: " + consumerEvents.stream().map(KafkaClusterVerifiableTest::assignedPartitions)
                .toList());

        // when the verifiable producer (acks=all, idempotent) sends through all three, and the group's coordinator
        // is killed once a third of the records is acknowledged
        VerifiableProducer producer = verifiableProducer(bootstrap, topic);
        PrintStream out = System.out;
        System.setOut(new PrintStream(producerEvents, true, StandardCharsets.UTF_8));
        producing = start(() -> {
          try {
            producer.run(new ThroughputThrottler(THROUGHPUT, System.currentTimeMillis()));
          } finally {
            producer.close();
          }
        }, "verifiable-producer");
        try {
          Eventually.until(DEADLINE, () -> producerEvents.named("producer_send_success").size() >= RECORDS / 3,
              () -> "acknowledged: " + producerEvents.named("producer_send_success").size());
          Member coordinator = coordinatorOf(cluster, group);
          killedAfterAcks = producerEvents.named("producer_send_success").size();
          coordinator.kill();
          Thread sending = producing;
          Eventually.until(DEADLINE, () -> !sending.isAlive(), () -> "the producer is still sending: acknowledged "
              + producerEvents.named("producer_send_success").size());
        } finally {
          System.setOut(out);
        }

        // then every acknowledged value is consumed
        Set<String> acked = values(producerEvents.named("producer_send_success"));
        Eventually.until(DEADLINE, () -> consumedCounts(consumerEvents).keySet().containsAll(acked),
            () -> "acknowledged but never consumed: " + missing(acked, consumedCounts(consumerEvents)).size());
      } finally {
        if (producing != null) {
          producing.interrupt();
        }
        consumers.forEach(VerifiableConsumer::close);
        for (Thread thread : consuming) {
          thread.join(DEADLINE.toMillis());
        }
      }
      Set<String> acked = values(producerEvents.named("producer_send_success"));
      Map<String, Integer> consumed = consumedCounts(consumerEvents);
      int failed = producerEvents.named("producer_send_error").size();
      long duplicated = consumed.values().stream().filter(times -> times > 1).count();
      int extraDeliveries = consumed.values().stream().mapToInt(times -> times - 1).sum();
      List<Integer> perConsumer = consumerEvents.stream().map(events -> events.named("record_data").size()).toList();
      Map<Integer, Integer> perPartition = new TreeMap<>();
      producerEvents.named("producer_send_success")
          .forEach(event -> perPartition.merge(event.get("partition").asInt(), 1, Integer::sum));
      System.out.printf("verifiable: %d of %d records acknowledged (acks=all), %d sends failed; kill -9 of the group "
          + "coordinator after %d acknowledgements; %d of %d acknowledged lost, %d values consumed more than once "
          + "(%d extra deliveries, at-least-once around the rebalance); acknowledged per partition %s; records per "
          + "consumer %s%n", acked.size(), RECORDS, failed, killedAfterAcks, missing(acked, consumed).size(),
          acked.size(), duplicated, extraDeliveries, perPartition, perConsumer);
      assertThat(missing(acked, consumed)).as("acknowledged but not consumed").isEmpty();
      assertThat(acked).as("most records are acknowledged despite the kill").hasSizeGreaterThan(RECORDS / 2);
      // a consumer sees only what was sent: every consumed value is one the producer tried to send
      assertThat(consumed.keySet()).allMatch(value -> Integer.parseInt(value) < RECORDS);
      // every consumer holds partitions with records in them, before the kill and after
      assertThat(perPartition).as("acknowledged records per partition").hasSize(PARTITIONS);
      assertThat(perConsumer).as("records read by each consumer of the group").allMatch(count -> count > 0);
    }
  }

  private static VerifiableProducer verifiableProducer(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 100);
    // values 0..RECORDS-1, keyed by REPEATING_KEYS: the default partitioner hashes the keys over the six partitions
    return new VerifiableProducer(new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()),
        topic, THROUGHPUT, RECORDS, null, null, REPEATING_KEYS);
  }

  private static VerifiableConsumer verifiableConsumer(String bootstrap, String topic, String group, Events events) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 300);
    props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    props.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, 100);
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    // what the tool's main builds from --verbose without --enable-autocommit: synchronous commits, every record shown
    return new VerifiableConsumer(consumer, new PrintStream(events, true, StandardCharsets.UTF_8), topic, -1,
        false, false, true);
  }

  private static Thread start(Runnable work, String name) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** How many partitions a consumer holds now, by its partitions_assigned and partitions_revoked events. */
  private static int assignedPartitions(Events events) {
    Set<String> held = new HashSet<>();
    for (JsonNode event : events.all()) {
      String name = event.get("name").asText();
      if (name.equals("partitions_assigned") || name.equals("partitions_revoked")) {
        Set<String> partitions = new HashSet<>();
        event.get("partitions").forEach(p -> partitions.add(p.get("topic").asText() + p.get("partition").asInt()));
        if (name.equals("partitions_assigned")) {
          held.addAll(partitions);
        } else {
          held.removeAll(partitions);
        }
      }
    }
    return held.size();
  }

  private static Set<String> values(List<JsonNode> events) {
    Set<String> values = new HashSet<>();
    events.forEach(event -> values.add(event.get("value").asText()));
    return values;
  }

  /** Every consumed value with how often it was consumed, over all consumers. */
  private static Map<String, Integer> consumedCounts(List<Events> consumers) {
    Map<String, Integer> counts = new HashMap<>();
    for (Events events : consumers) {
      events.named("record_data").forEach(record -> counts.merge(record.get("value").asText(), 1, Integer::sum));
    }
    return counts;
  }

  private static Set<String> missing(Set<String> acked, Map<String, Integer> consumed) {
    Set<String> missing = new HashSet<>(acked);
    missing.removeAll(consumed.keySet());
    return missing;
  }

  /** The JSON event lines a tool prints, parsed; anything else printed on the same stream is ignored. */
  private static final class Events extends OutputStream {
    private final StringBuilder line = new StringBuilder();
    private final List<JsonNode> events = new ArrayList<>();

    @Override
    public synchronized void write(int b) {
      if (b != '\n') {
        line.append((char) b);
        return;
      }
      String text = line.toString().trim();
      line.setLength(0);
      if (text.startsWith("{")) {
        try {
          JsonNode event = JSON.readTree(text);
          if (event.has("name")) {
            events.add(event);
          }
        } catch (IOException e) {
          throw new UncheckedIOException("not a JSON event line: " + text, e);
        }
      }
    }

    synchronized List<JsonNode> all() {
      return List.copyOf(events);
    }

    synchronized List<JsonNode> named(String name) {
      return events.stream().filter(e -> e.get("name").asText().equals(name)).toList();
    }
  }
}
