package dev.queenj.compat;

import static dev.queenj.compat.Clients.DEADLINE_MS;
import static dev.queenj.compat.Clients.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.connect.file.FileStreamSinkConnector;
import org.apache.kafka.connect.file.FileStreamSourceConnector;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.Test;

/**
 * Kafka Connect in distributed mode with Queen-J as its Kafka cluster: the worker keeps its connector configs, source
 * offsets and statuses in topics it creates compacted on the server, joins a Connect group there, and runs Kafka's
 * FileStream source (file to topic) and sink (topic to file) connectors. The worker is stopped in the middle of the
 * pipeline and a new one started in the same group on the same topics: it finds its connectors and offsets in those
 * topics and finishes the work.
 */
class KafkaConnectDistributedTest {
  private static final int LINES_BEFORE_STOP = 2_000;
  private static final int LINES_WHILE_STOPPED = 1_000;
  private final QueenProcess server = QueenProcess.shared();

  @Test
  void aFileToTopicToFilePipelineDeliversEveryRecordAcrossAWorkerRestart() throws Exception {
    // given a worker on Queen-J, and a file of lines
    String id = unique("connect");
    Path dir = Files.createDirectories(Path.of("target", id).toAbsolutePath());
    Path input = dir.resolve("input.txt");
    Path output = dir.resolve("output.txt");
    String topic = id + "-lines";
    Map<String, String> worker = workerConfig(id);
    append(input, lines(0, LINES_BEFORE_STOP));
    Clients.createTopic(server, topic, 3);

    // when a source connector copies the file to the topic and a sink connector the topic to another file
    try (ConnectWorker first = ConnectWorker.start(worker)) {
      first.putConnector("file-source", Map.of(
          "connector.class", FileStreamSourceConnector.class.getName(), "tasks.max", "1",
          "file", input.toString(), "topic", topic, "batch.size", "200"));
      first.putConnector("file-sink", Map.of(
          "connector.class", FileStreamSinkConnector.class.getName(), "tasks.max", "1",
          "file", output.toString(), "topics", topic));
      // and the worker is stopped once the sink has written part of the lines
      Await.until("the sink wrote a quarter of the lines", DEADLINE_MS,
          () -> read(output).size() >= LINES_BEFORE_STOP / 4);
    }
    int writtenBeforeRestart = read(output).size();
    // while no worker runs, more lines are appended to the source file
    append(input, lines(LINES_BEFORE_STOP, LINES_WHILE_STOPPED));
    // and a new worker joins the same group on the same topics, without being told about the connectors again
    int total = LINES_BEFORE_STOP + LINES_WHILE_STOPPED;
    try (ConnectWorker second = ConnectWorker.start(worker)) {
      Await.until("both connectors run on the new worker", DEADLINE_MS,
          () -> second.running("file-source", 1) && second.running("file-sink", 1));
      Await.until("every line reached the output file", DEADLINE_MS,
          () -> Set.copyOf(read(output)).size() == total);
    }

    // then every line was delivered (at least once: a worker restart may repeat records written after the last offset
    // commit) ...
    List<String> delivered = read(output);
    assertThat(Set.copyOf(delivered)).containsExactlyInAnyOrderElementsOf(lines(0, total));
    // ... and both connectors resumed from the offsets they stored, not from the start: the source stored its file
    // position in the offset topic, the sink its group's committed offsets, both on the graceful stop
    List<String> published = topicValues(topic);
    assertThat(occurrences(published, "line-0")).as("source resumed from its stored position").isEqualTo(1);
    assertThat(occurrences(delivered, "line-0")).as("sink resumed from its committed offsets").isEqualTo(1);
    assertThat(Set.copyOf(published)).hasSize(total);
    assertThat(writtenBeforeRestart).isGreaterThanOrEqualTo(LINES_BEFORE_STOP / 4);
    // and Connect created its three internal topics compacted, as it requires
    assertThat(cleanupPolicies(worker)).containsOnly("compact");
  }

  private Map<String, String> workerConfig(String id) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", server.bootstrap());
    config.put("group.id", id);
    config.put("config.storage.topic", id + "-configs");
    config.put("offset.storage.topic", id + "-offsets");
    config.put("status.storage.topic", id + "-status");
    config.put("config.storage.replication.factor", "1");
    config.put("offset.storage.replication.factor", "1");
    config.put("status.storage.replication.factor", "1");
    config.put("offset.storage.partitions", "3");
    config.put("status.storage.partitions", "1");
    config.put("key.converter", StringConverter.class.getName());
    config.put("value.converter", StringConverter.class.getName());
    config.put("offset.flush.interval.ms", "500");
    // a departed worker's connectors go to the new one at once instead of after the default five minutes
    config.put("scheduled.rebalance.max.delay.ms", "0");
    return config;
  }

  private Collection<String> cleanupPolicies(Map<String, String> worker) throws Exception {
    List<ConfigResource> topics = List.of("config.storage.topic", "offset.storage.topic", "status.storage.topic")
        .stream().map(key -> new ConfigResource(ConfigResource.Type.TOPIC, worker.get(key))).toList();
    try (Admin admin = Clients.admin(server)) {
      Map<ConfigResource, Config> configs = admin.describeConfigs(topics).all().get();
      assertThat(configs).hasSize(3);
      return configs.values().stream().map(config -> config.get("cleanup.policy").value()).toList();
    }
  }

  private List<String> topicValues(String topic) {
    try (KafkaConsumer<String, String> consumer = Clients.consumer(server, null, Map.of())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long records = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      return Clients.pollUntil(consumer, Math.toIntExact(records)).stream().map(ConsumerRecord::value).toList();
    }
  }

  private static List<String> lines(int from, int count) {
    return IntStream.range(from, from + count).mapToObj(i -> "line-" + i).toList();
  }

  private static long occurrences(List<String> values, String value) {
    return values.stream().filter(value::equals).count();
  }

  private static void append(Path file, List<String> lines) throws IOException {
    Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The complete lines of {@code file} (the sink may be in the middle of writing one), none if it does not exist. */
  private static List<String> read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      lines.remove(lines.size() - 1);
      return lines;
    } catch (NoSuchFileException notYet) {
      return List.of();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
