package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.server.TestServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The native API's operations in test-sized words, over a {@link TestServer}. */
final class Api {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final TestServer server;

  Api(TestServer server) {
    this.server = server;
  }

  /**
   * Pushes one message per transaction id into one partition, in order, payload {@code {"id":<id>}}; asserts they
   * were queued and answers the partition id.
   */
  String push(String queue, String partition, String... transactionIds) {
    ArrayNode items = MAPPER.createArrayNode();
    for (String id : transactionIds) {
      items.addObject().put("queue", queue).put("partition", partition).put("transactionId", id)
          .putObject("payload").put("id", id);
    }
    ObjectNode body = MAPPER.createObjectNode();
    body.set("items", items);
    Reply reply = server.post("/api/v1/push", body);
    assertThat(reply.status()).as("push answer %s", reply.body()).isEqualTo(200);
    assertThat(reply.body()).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("queued"));
    return reply.body().get(0).get("partition_id").asText();
  }

  void configure(String queue, String optionsJson) {
    Reply reply = server.post("/api/v1/configure", "{\"queue\":\"" + queue + "\",\"options\":" + optionsJson + "}");
    assertThat(reply.status()).as("configure answer %s", reply.body()).isEqualTo(200);
  }

  JsonNode pop(String pathAndQuery) {
    Reply reply = server.get("/api/v1/pop/queue/" + pathAndQuery);
    assertThat(reply.status()).as("pop answer %s", reply.body()).isEqualTo(200);
    return reply.body();
  }

  /** Pops from a queue; {@code query} is appended as is (e.g. {@code "batch=10&consumerGroup=g"}). */
  JsonNode pop(String queue, String query) {
    return pop(queue + "?" + query);
  }

  JsonNode popPartition(String queue, String partition, String query) {
    return pop(queue + "/partition/" + partition + "?" + query);
  }

  /** Acks every message of a pop with {@code status} for {@code group}, without leases; every ack must succeed. */
  void ackAll(JsonNode pop, String group, String status) {
    ObjectNode body = MAPPER.createObjectNode().put("consumerGroup", group);
    ArrayNode acks = body.putArray("acknowledgments");
    for (JsonNode m : pop.get("messages")) {
      acks.addObject().put("transactionId", m.get("transactionId").asText())
          .put("partitionId", m.get("partitionId").asText()).put("status", status)
          .put("error", "dlq".equals(status) ? "broken " + m.get("transactionId").asText() : null);
    }
    Reply reply = server.post("/api/v1/ack/batch", body);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).allSatisfy(r -> assertThat(r.get("success").asBoolean()).isTrue());
  }

  /** Pops everything available for the group and acks it: the group is then caught up. */
  List<String> consumeAll(String queue, String group) {
    JsonNode pop = pop(queue, "batch=1000&consumerGroup=" + group);
    ackAll(pop, group, "completed");
    return ids(pop);
  }

  /**
   * A timestamp strictly after every message already pushed and strictly before every message pushed after this
   * call: Postgres stamps messages with its transaction start, on the same clock, at microsecond precision.
   */
  static String timeBetweenPushes() {
    return java.time.Instant.now().toString();
  }

  static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The transaction ids of a pop answer's messages, in order. */
  static List<String> ids(JsonNode popAnswer) {
    List<String> ids = new ArrayList<>();
    popAnswer.get("messages").forEach(m -> ids.add(m.get("transactionId").asText()));
    return ids;
  }

  /** Acks every message of a pop answer with the given status, with their lease; answers the ack results. */
  JsonNode ackAll(JsonNode popAnswer, String status) {
    return ack(popAnswer.get("messages"), status, null);
  }

  JsonNode ack(JsonNode messages, String status, String consumerGroup) {
    ObjectNode body = MAPPER.createObjectNode();
    if (consumerGroup != null) {
      body.put("consumerGroup", consumerGroup);
    }
    ArrayNode acks = body.putArray("acknowledgments");
    for (JsonNode m : messages) {
      ObjectNode ack = acks.addObject().put("transactionId", m.get("transactionId").asText())
          .put("partitionId", m.get("partitionId").asText()).put("status", status);
      if (!m.get("leaseId").asText().isEmpty()) {
        ack.put("leaseId", m.get("leaseId").asText());
      }
      if (consumerGroup == null) {
        ack.put("consumerGroup", m.get("consumerGroup").asText());
      }
    }
    Reply reply = server.post("/api/v1/ack/batch", body);
    assertThat(reply.status()).as("ack answer %s", reply.body()).isEqualTo(200);
    return reply.body();
  }

  /** A 400 whose error names {@code mentioning} (the parameter or field at fault). */
  static void assertBadRequest(Reply reply, String mentioning) {
    assertThat(reply.status()).as("answer %s", reply.body()).isEqualTo(400);
    assertThat(reply.body().get("error").asText()).containsIgnoringCase(mentioning);
  }

  /** Waits until {@code condition} holds, failing after {@code timeout}. */
  static void eventually(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
