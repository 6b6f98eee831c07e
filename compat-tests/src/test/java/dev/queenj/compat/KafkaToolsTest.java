package dev.queenj.compat;

import static dev.queenj.compat.Clients.DEADLINE_MS;
import static dev.queenj.compat.Clients.pollUntil;
import static dev.queenj.compat.Clients.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.admin.ConfigCommand;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.util.ThroughputThrottler;
import org.apache.kafka.tools.ConsoleProducer;
import org.apache.kafka.tools.TopicCommand;
import org.apache.kafka.tools.VerifiableConsumer;
import org.apache.kafka.tools.VerifiableProducer;
import org.apache.kafka.tools.consumer.ConsoleConsumer;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.Test;

/**
 * Kafka's own tools, in-process against the server: the verifiable producer and consumer that Kafka's system tests
 * judge brokers with, the consumer-group and topic commands, and the console producer and consumer. They are built on
 * kafka-clients of their own release, so they run only in the execution on that version.
 */
class KafkaToolsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final QueenProcess server = QueenProcess.shared();

  @Test
  void kafkaConfigsAddsDescribesAndDeletesScramUsers() {
    // kafka-configs.sh --entity-type users: AlterUserScramCredentials and DescribeUserScramCredentials
    String user = unique("user");
    KafkaTool.Result added = KafkaTool.run(ConfigCommand::main, "", "--bootstrap-server", server.bootstrap(),
        "--alter", "--add-config", "SCRAM-SHA-256=[iterations=8192,password=secret],SCRAM-SHA-512=[password=secret]",
        "--entity-type", "users", "--entity-name", user);
    assertThat(added.status()).as("%s", added).isZero();
    assertThat(added.out()).contains("Completed updating config for user " + user);

    KafkaTool.Result described = KafkaTool.run(ConfigCommand::main, "", "--bootstrap-server", server.bootstrap(),
        "--describe", "--entity-type", "users");
    assertThat(described.status()).as("%s", described).isZero();
    assertThat(described.out()).contains("SCRAM credential configs for user-principal '" + user
        + "' are SCRAM-SHA-256=iterations=8192, SCRAM-SHA-512=iterations=4096");

    KafkaTool.Result deleted = KafkaTool.run(ConfigCommand::main, "", "--bootstrap-server", server.bootstrap(),
        "--alter", "--delete-config", "SCRAM-SHA-512", "--entity-type", "users", "--entity-name", user);
    assertThat(deleted.status()).as("%s", deleted).isZero();
    KafkaTool.Result remaining = KafkaTool.run(ConfigCommand::main, "", "--bootstrap-server", server.bootstrap(),
        "--describe", "--entity-type", "users", "--entity-name", user);
    assertThat(remaining.out()).as("%s", remaining).contains("SCRAM credential configs for user-principal '" + user
        + "' are SCRAM-SHA-256=iterations=8192").doesNotContain("SCRAM-SHA-512");
  }

  @Test
  void verifiableConsumersInAGroupReadEveryAckedRecordExactlyOnce() throws Exception {
    // given a group of one verifiable consumer
    String topic = unique("verifiable");
    String group = unique("g");
    Clients.createTopic(server, topic, 4);
    Events first = new Events();
    Events second = new Events();
    List<Thread> running = new ArrayList<>();
    List<JsonNode> acked = new ArrayList<>();
    List<VerifiableConsumer> consumers = new ArrayList<>();
    try {
      consumers.add(verifiableConsumer(topic, group, first));
      running.add(start(consumers.get(0)));
      // when the idempotent verifiable producer sends, a second consumer joins, and it sends again
      acked.addAll(verifiableProducer(topic, 1, 500));
      consumers.add(verifiableConsumer(topic, group, second));
      running.add(start(consumers.get(1)));
      acked.addAll(verifiableProducer(topic, 2, 500));
      assertThat(acked).hasSize(1000);
      Events.awaitTotal(List.of(first, second), acked.size());
    } finally {
      consumers.forEach(VerifiableConsumer::close);
      for (Thread thread : running) {
        thread.join(DEADLINE_MS);
      }
    }
    // then every acked record was consumed once, at the offset it was acked with, and both members took part
    Map<String, String> consumed = new HashMap<>();
    for (Events events : List.of(first, second)) {
      for (JsonNode record : events.named("record_data")) {
        String at = record.get("partition").asInt() + "@" + record.get("offset").asLong();
        assertThat(consumed.put(at, record.get("value").asText())).as("consumed once: %s", at).isNull();
      }
    }
    Map<String, String> expected = new HashMap<>();
    for (JsonNode ack : acked) {
      expected.put(ack.get("partition").asInt() + "@" + ack.get("offset").asLong(), ack.get("value").asText());
    }
    assertThat(consumed).isEqualTo(expected);
    assertThat(second.named("record_data")).isNotEmpty();
    assertThat(first.named("partitions_revoked")).isNotEmpty();
    assertThat(first.named("offsets_committed")).allMatch(commit -> commit.get("success").asBoolean());
  }

  @Test
  void consumerGroupCommandListsDescribesAndResetsOffsets() throws Exception {
    // given a group that read and committed a topic of eight records, and is now empty
    String topic = unique("cgc");
    String group = unique("g");
    Clients.createTopic(server, topic, 2);
    verifiableProducer(topic, 1, 8);
    try (KafkaConsumer<String, String> consumer = Clients.consumer(server, group, Map.of())) {
      consumer.subscribe(List.of(topic));
      pollUntil(consumer, 8);
      consumer.commitSync();
    }
    // then
    KafkaTool.Result list = KafkaTool.run(ConsumerGroupCommand::main, "",
        "--bootstrap-server", server.bootstrap(), "--list");
    assertThat(list.status()).as("%s", list).isZero();
    assertThat(list.out().lines()).contains(group);

    KafkaTool.Result describe = KafkaTool.run(ConsumerGroupCommand::main, "",
        "--bootstrap-server", server.bootstrap(), "--describe", "--group", group);
    assertThat(describe.status()).as("%s", describe).isZero();
    assertThat(rows(describe.out(), group)).hasSize(2).allSatisfy(row -> {
      assertThat(row[1]).isEqualTo(topic);
      assertThat(row[3]).as("current offset").isEqualTo(row[4]);
      assertThat(row[5]).as("lag").isEqualTo("0");
    });

    KafkaTool.Result reset = KafkaTool.run(ConsumerGroupCommand::main, "",
        "--bootstrap-server", server.bootstrap(), "--reset-offsets", "--group", group, "--topic", topic,
        "--to-earliest", "--execute");
    assertThat(reset.status()).as("%s", reset).isZero();
    assertThat(rows(reset.out(), group)).hasSize(2).allSatisfy(row -> assertThat(row[3]).isEqualTo("0"));

    KafkaTool.Result lagging = KafkaTool.run(ConsumerGroupCommand::main, "",
        "--bootstrap-server", server.bootstrap(), "--describe", "--group", group);
    assertThat(rows(lagging.out(), group).stream().mapToLong(row -> Long.parseLong(row[5])).sum()).isEqualTo(8L);
  }

  @Test
  void topicCommandAndConsoleProducerAndConsumer() {
    String topic = unique("console");
    KafkaTool.Result create = KafkaTool.run(TopicCommand::main, "",
        "--bootstrap-server", server.bootstrap(), "--create", "--topic", topic, "--partitions", "1");
    assertThat(create.status()).as("%s", create).isZero();
    KafkaTool.Result describe = KafkaTool.run(TopicCommand::main, "",
        "--bootstrap-server", server.bootstrap(), "--describe", "--topic", topic);
    assertThat(describe.out()).as("%s", describe).contains("PartitionCount: 1");

    KafkaTool.Result produce = KafkaTool.run(ConsoleProducer::main, "k1:one\nk2:two\nk3:three\n",
        "--bootstrap-server", server.bootstrap(), "--topic", topic,
        "--property", "parse.key=true", "--property", "key.separator=:");
    assertThat(produce.status()).as("%s", produce).isZero();

    KafkaTool.Result consume = KafkaTool.run(ConsoleConsumer::main, "",
        "--bootstrap-server", server.bootstrap(), "--topic", topic, "--from-beginning", "--max-messages", "3",
        "--timeout-ms", String.valueOf(DEADLINE_MS), "--group", unique("console"),
        "--property", "print.key=true", "--property", "key.separator=:");
    assertThat(consume.status()).as("%s", consume).isZero();
    assertThat(consume.out().lines()).containsExactly("k1:one", "k2:two", "k3:three");
  }

  /** Sends {@code count} records valued {@code <valuePrefix>.<i>} with Kafka's idempotent verifiable producer. */
  private List<JsonNode> verifiableProducer(String topic, int valuePrefix, int count) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    List<JsonNode> events = new ArrayList<>();
    // constructed rather than run through main, which would leave a shutdown hook printing into the test JVM's exit
    KafkaTool.Result result = KafkaTool.capture("", () -> {
      VerifiableProducer producer = new VerifiableProducer(
          new KafkaProducer<>(props, new StringSerializer(), new StringSerializer()),
          topic, -1, count, valuePrefix, null, 10);
      try {
        producer.run(new ThroughputThrottler(-1, System.currentTimeMillis()));
      } finally {
        producer.close();
      }
    });
    result.out().lines().filter(line -> line.startsWith("{")).map(KafkaToolsTest::parse).forEach(events::add);
    List<JsonNode> sends = events.stream().filter(e -> e.get("name").asText().startsWith("producer_send")).toList();
    assertThat(sends).as("%s", result).hasSize(count)
        .allMatch(e -> e.get("name").asText().equals("producer_send_success"));
    return sends;
  }

  private VerifiableConsumer verifiableConsumer(String topic, String group, Events events) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // the tool's default for the classic protocol: an eager rebalance, the stricter test of commit-before-revoke
    props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    // what the tool's main builds from --verbose without --enable-autocommit: synchronous commits, every record shown
    return new VerifiableConsumer(consumer, new PrintStream(events, true, StandardCharsets.UTF_8), topic, -1,
        false, false, true);
  }

  private static Thread start(VerifiableConsumer consumer) {
    Thread thread = new Thread(consumer::run, "verifiable-consumer");
    thread.start();
    return thread;
  }

  /** The data rows of a ConsumerGroupCommand table: whitespace-separated, first column the group. */
  private static List<String[]> rows(String out, String group) {
    return out.lines().map(String::trim).filter(line -> line.startsWith(group + " "))
        .map(line -> line.split("\\s+")).toList();
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A verifiable consumer's stdout: its JSON events, parsed as they are printed, with waiting on their count. */
  private static final class Events extends OutputStream {
    private final StringBuilder line = new StringBuilder();
    private final List<JsonNode> events = new ArrayList<>();
    private static final Object CHANGED = new Object();

    @Override
    public void write(int b) {
      synchronized (CHANGED) {
        if (b == '\n') {
          events.add(parse(line.toString()));
          line.setLength(0);
          CHANGED.notifyAll();
        } else {
          line.append((char) b);
        }
      }
    }

    List<JsonNode> named(String name) {
      synchronized (CHANGED) {
        return events.stream().filter(e -> e.get("name").asText().equals(name)).toList();
      }
    }

    /** Waits until the consumers together printed {@code count} records, then until they are quiet. */
    static void awaitTotal(List<Events> all, int count) throws InterruptedException {
      long deadline = System.currentTimeMillis() + DEADLINE_MS;
      synchronized (CHANGED) {
        while (all.stream().mapToInt(e -> e.named("record_data").size()).sum() < count) {
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) {
            throw new AssertionError("the consumers printed " + all.stream()
                .mapToInt(e -> e.named("record_data").size()).sum() + " of " + count + " records");
          }
          CHANGED.wait(left);
        }
      }
    }
  }
}
