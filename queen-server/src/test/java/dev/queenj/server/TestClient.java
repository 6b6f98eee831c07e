package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.queenj.server.TestServer.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The push / pop / ack steps that set up state for the admin endpoint tests, each checked as it goes. */
final class TestClient {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final TestServer server;

  TestClient(TestServer server) {
    this.server = server;
  }

  /** Pushes one message per transaction id, payload {@code {"tx":<id>}}; answers the partition id. */
  String push(String queue, String partition, String... transactionIds) {
    ObjectNode body = NODES.objectNode();
    ArrayNode items = body.putArray("items");
    for (String transactionId : transactionIds) {
      ObjectNode item = items.addObject().put("queue", queue).put("partition", partition)
          .put("transactionId", transactionId);
      item.putObject("payload").put("tx", transactionId);
    }
    Reply reply = server.post("/api/v1/push", body);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("queued"));
    return reply.body().get(0).get("partition_id").asText();
  }

  /** Pops from a queue; {@code query} is appended as is (e.g. {@code "batch=10&consumerGroup=g"}). */
  JsonNode pop(String queue, String query) {
    Reply reply = server.get("/api/v1/pop/queue/" + queue + "?" + query);
    assertThat(reply.status()).isEqualTo(200);
    return reply.body();
  }

  JsonNode popPartition(String queue, String partition, String query) {
    Reply reply = server.get("/api/v1/pop/queue/" + queue + "/partition/" + partition + "?" + query);
    assertThat(reply.status()).isEqualTo(200);
    return reply.body();
  }

  /** The transaction ids of a pop's messages, in order. */
  static List<String> transactionIds(JsonNode pop) {
    List<String> ids = new ArrayList<>();
    pop.get("messages").forEach(m -> ids.add(m.get("transactionId").asText()));
    return ids;
  }

  /** Acks every message of a pop with {@code status} for {@code group}; every ack must succeed. */
  void ackAll(JsonNode pop, String group, String status) {
    ObjectNode body = NODES.objectNode().put("consumerGroup", group);
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
    return transactionIds(pop);
  }

  /**
   * A timestamp strictly after every message already pushed and strictly before every message pushed after this
   * call: Postgres stamps messages with its transaction start, on the same clock, at microsecond precision.
   */
  static String timeBetweenPushes() {
    return Instant.now().toString();
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
