package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Real kafka-clients pointed at a {@link TestServer}, with timeouts short enough for tests; and the native view. */
public final class KafkaClients {
  private static final int TIMEOUT_MS = 15_000;

  private KafkaClients() {}

  static Admin admin(TestServer server) {
    return Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + server.kafkaPort(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS));
  }

  /** A consumer without a group: it needs only Metadata to list topics and partitions. */
  static KafkaConsumer<byte[], byte[]> consumer(TestServer server) {
    return consumer(server, Map.of());
  }

  /** A consumer without a group (assign + seek) with {@code overrides}. */
  public static KafkaConsumer<byte[], byte[]> consumer(TestServer server, Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + server.kafkaPort(),
        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS));
    config.putAll(overrides);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** A producer with the client's defaults (idempotent, acks=all) except {@code overrides}. */
  public static KafkaProducer<byte[], byte[]> producer(TestServer server, Map<String, Object> overrides) {
    Map<String, Object> config = new HashMap<>(Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + server.kafkaPort(),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, TIMEOUT_MS + 5_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, TIMEOUT_MS));
    config.putAll(overrides);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The offset ListOffsets answers for {@code partition} ({@code earliest}, {@code latest}, …). */
  static long offset(Admin admin, TopicPartition partition, OffsetSpec spec) {
    try {
      return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition)
          .get(TIMEOUT_MS, TimeUnit.MILLISECONDS).offset();
    } catch (Exception e) {
      throw new IllegalStateException("ListOffsets " + partition + " failed", e);
    }
  }

  /** The queues as the native API lists them, by name. */
  static List<String> queueNames(TestServer server) {
    TestServer.Reply reply = server.get("/api/v1/resources/queues");
    assertThat(reply.status()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    for (JsonNode queue : reply.body().get("queues")) {
      names.add(queue.get("name").asText());
    }
    return names;
  }

  static void push(TestServer server, String queue, String partition) {
    TestServer.Reply reply = server.post("/api/v1/push", "{\"items\":[{\"queue\":\"" + queue + "\",\"partition\":\""
        + partition + "\",\"payload\":{\"n\":1}}]}");
    assertThat(reply.status()).as("push answer %s", reply.body()).isEqualTo(200);
  }

  /** Pushes one message per transaction id into one Queen partition, in order, over the native API. */
  static void push(TestServer server, String queue, String partition, String... transactionIds) {
    StringBuilder items = new StringBuilder();
    for (String id : transactionIds) {
      items.append(items.length() == 0 ? "" : ",").append("{\"queue\":\"").append(queue)
          .append("\",\"partition\":\"").append(partition).append("\",\"transactionId\":\"").append(id)
          .append("\",\"payload\":{\"id\":\"").append(id).append("\"}}");
    }
    TestServer.Reply reply = server.post("/api/v1/push", "{\"items\":[" + items + "]}");
    assertThat(reply.status()).as("push answer %s", reply.body()).isEqualTo(200);
    assertThat(reply.body()).allSatisfy(item -> assertThat(item.get("status").asText()).isEqualTo("queued"));
  }

  /** The transaction ids a native pop of one Queen partition answers, in order. */
  static List<String> popIds(TestServer server, String queue, String partition) {
    TestServer.Reply reply = server.get("/api/v1/pop/queue/" + queue + "/partition/" + partition + "?batch=100");
    assertThat(reply.status()).as("pop answer %s", reply.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    reply.body().get("messages").forEach(message -> ids.add(message.get("transactionId").asText()));
    return ids;
  }
}
