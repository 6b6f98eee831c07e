package dev.queenj.compat.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.test.EmbeddedQueenJ;
import dev.queenj.test.QueenJ;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams ({@code kafka-streams}, the server's Kafka version) against the embedded broker: {@link
 * PurchaseTotals} re-keys purchases through a repartition topic and sums them in a state store backed by a compacted
 * changelog. Each run kills the application (SIGKILL) mid-stream and starts it again on the same state directory;
 * the per-customer totals are computed here, independently, from what was produced.
 */
@EmbeddedQueenJ
class KafkaStreamsTest {
  private static final int PARTITIONS = 3;
  private static final int CUSTOMERS = 10;
  private static final int PURCHASES_PER_PHASE = 400;
  private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RESULT_TIMEOUT = Duration.ofSeconds(60);
  private static final String RUNNING = PurchaseTotals.STATE_LINE + "RUNNING";

  @Test
  void atLeastOnceLosesNothingAcrossAKill(QueenJ queen) throws Exception {
    Outcome outcome = runWithKill(queen, StreamsConfig.AT_LEAST_ONCE);

    // at least once: every purchase is in its customer's total, some perhaps twice (those processed again after the
    // kill), so a total is at least the expected sum, and totals only grow
    outcome.expected().forEach((customer, sum) -> {
      List<Long> totals = outcome.totals().get(customer);
      assertThat(last(totals)).as(customer).isGreaterThanOrEqualTo(sum);
      assertThat(totals).as(customer).isSorted();
    });
    System.out.printf("at least once: %d outputs for %d purchases, totals exceed the sums by %d%n",
        outcome.totals().values().stream().mapToInt(List::size).sum(), 2 * PURCHASES_PER_PHASE,
        outcome.expected().entrySet().stream().mapToLong(sum -> last(outcome.totals().get(sum.getKey()))
            - sum.getValue()).sum());
  }

  @Test
  void exactlyOnceV2CountsEveryPurchaseOnceAcrossAKill(QueenJ queen) throws Exception {
    Outcome outcome = runWithKill(queen, StreamsConfig.EXACTLY_ONCE_V2);

    // exactly once: one committed output record per purchase, each total the previous one plus that purchase
    outcome.expected().forEach((customer, sum) -> {
      List<Long> totals = outcome.totals().get(customer);
      assertThat(totals).as(customer).hasSize(outcome.purchases().get(customer)).doesNotHaveDuplicates().isSorted();
      assertThat(last(totals)).as(customer).isEqualTo(sum);
    });
  }

  /** What a run produced and what it should have produced, per customer. */
  private record Outcome(Map<String, Long> expected, Map<String, Integer> purchases, Map<String, List<Long>> totals) {}

  private Outcome runWithKill(QueenJ queen, String guarantee) throws Exception {
    String app = "purchase-totals-" + guarantee.replace('_', '-');
    String input = app + "-purchases";
    String output = app + "-totals";
    Path stateDir = Files.createTempDirectory(Path.of("target"), app + "-state-").toAbsolutePath();
    Path firstLog = Path.of("target", app + "-1.log").toAbsolutePath();
    Path secondLog = Path.of("target", app + "-2.log").toAbsolutePath();
    Files.deleteIfExists(firstLog);
    Files.deleteIfExists(secondLog);
    try (Admin admin = admin(queen)) {
      admin.createTopics(List.of(new NewTopic(input, PARTITIONS, (short) 1), new NewTopic(output, PARTITIONS,
          (short) 1))).all().get();
    }
    String[] args = {queen.bootstrapServers(), app, guarantee, stateDir.toString(), input, output};
    Map<String, Long> expected = new TreeMap<>();
    Map<String, Integer> purchases = new TreeMap<>();
    Random random = new Random(guarantee.hashCode());
    Map<String, List<Long>> totals = new HashMap<>();

    try (KafkaProducer<String, String> producer = producer(queen);
         KafkaConsumer<String, Long> reader = outputReader(queen, output)) {
      // given an instance processing purchases as they arrive, one by one
      try (ChildJvm first = ChildJvm.start(PurchaseTotals.class, firstLog, args)) {
        first.awaitLine(RUNNING, RUNNING_TIMEOUT);
        AtomicInteger produced = new AtomicInteger();
        CompletableFuture<Void> arriving = CompletableFuture.runAsync(
            () -> produce(producer, input, 0, random, expected, purchases, produced));
        readUntil(reader, totals, "a first output", () -> outputs(totals) > 0);
        // when it is killed mid-stream
        first.kill();
        System.out.printf("%s: killed after %d outputs, %d of %d purchases produced%n", app, outputs(totals),
            produced.get(), PURCHASES_PER_PHASE);
        arriving.get(RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      // and the rest arrives while no instance runs, then a new instance starts on the same state directory
      produce(producer, input, PURCHASES_PER_PHASE, random, expected, purchases, new AtomicInteger());
      try (ChildJvm second = ChildJvm.start(PurchaseTotals.class, secondLog, args)) {
        second.awaitLine(RUNNING, RUNNING_TIMEOUT);
        // then every customer's latest total reaches what was purchased
        readUntil(reader, totals, "totals " + expected, () -> expected.entrySet().stream().allMatch(sum -> {
          List<Long> seen = totals.get(sum.getKey());
          return seen != null && last(seen) >= sum.getValue();
        }));
      }
    }
    assertInternalTopics(queen, app);
    return new Outcome(expected, purchases, totals);
  }

  /** The changelog Streams created is compacted; its repartition topic exists with the input's partitions. */
  private static void assertInternalTopics(QueenJ queen, String app) throws Exception {
    String changelog = app + "-" + PurchaseTotals.STORE + "-changelog";
    String repartition = app + "-by-customer-repartition";
    try (Admin admin = admin(queen)) {
      Set<String> topics = admin.listTopics().names().get();
      assertThat(topics).contains(changelog, repartition);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, changelog);
      assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("cleanup.policy").value())
          .isEqualTo("compact");
      assertThat(admin.describeTopics(List.of(repartition)).allTopicNames().get().get(repartition).partitions())
          .hasSize(PARTITIONS);
    }
  }

  /** Sends one phase of purchases, each acknowledged before the next, counting them in {@code produced}. */
  private static void produce(KafkaProducer<String, String> producer, String topic, int first, Random random,
      Map<String, Long> expected, Map<String, Integer> purchases, AtomicInteger produced) {
    for (int order = first; order < first + PURCHASES_PER_PHASE; order++) {
      String customer = "customer-" + random.nextInt(CUSTOMERS);
      long amount = 1 + random.nextInt(100);
      try {
        producer.send(new ProducerRecord<>(topic, "order-" + order, customer + ":" + amount))
            .get(RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("purchase " + order + " was not acknowledged", e);
      }
      expected.merge(customer, amount, Long::sum);
      purchases.merge(customer, 1, Integer::sum);
      produced.incrementAndGet();
    }
  }

  private static void readUntil(KafkaConsumer<String, Long> reader, Map<String, List<Long>> totals, String what,
      BooleanSupplier done) {
    long deadline = System.nanoTime() + RESULT_TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + RESULT_TIMEOUT + "; latest totals: "
            + totals.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> last(e.getValue()))));
      }
      for (ConsumerRecord<String, Long> record : reader.poll(Duration.ofMillis(200))) {
        totals.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(record.value());
      }
    }
  }

  private static long last(List<Long> totals) {
    return totals.get(totals.size() - 1);
  }

  private static int outputs(Map<String, List<Long>> totals) {
    return totals.values().stream().mapToInt(List::size).sum();
  }

  private static Admin admin(QueenJ queen) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, queen.bootstrapServers()));
  }

  private static KafkaProducer<String, String> producer(QueenJ queen) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, queen.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** Reads the whole output as a downstream application would: committed records only. */
  private static KafkaConsumer<String, Long> outputReader(QueenJ queen, String output) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, queen.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, Long> reader = new KafkaConsumer<>(config, new StringDeserializer(), new LongDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (int partition = 0; partition < PARTITIONS; partition++) {
      partitions.add(new TopicPartition(output, partition));
    }
    reader.assign(partitions);
    reader.seekToBeginning(partitions);
    return reader;
  }
}
