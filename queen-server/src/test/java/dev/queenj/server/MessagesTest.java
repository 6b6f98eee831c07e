package dev.queenj.server;

import static dev.queenj.server.Api.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET} and {@code DELETE /messages/:partitionId/:transactionId}. */
@ExtendWith(RunningServer.class)
class MessagesTest {
  private final TestServer server;
  private final Api client;

  MessagesTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @Test
  void getShowsTheMessageAndWhereEachGroupStands() {
    // given: queue mode consumed it, g1 holds it in a leased batch
    String traceId = UUID.randomUUID().toString();
    Reply pushed = server.post("/api/v1/push", "{\"items\":[{\"queue\":\"msg-get\",\"partition\":\"p1\","
        + "\"transactionId\":\"t1\",\"traceId\":\"" + traceId + "\",\"payload\":{\"a\":[1,2]}}]}");
    String partitionId = pushed.body().get(0).get("partition_id").asText();
    client.consumeAll("msg-get", "__QUEUE_MODE__");
    client.pop("msg-get", "consumerGroup=g1");

    // when
    Reply reply = server.get("/api/v1/messages/" + partitionId + "/t1");

    // then
    JsonNode m = reply.body();
    assertThat(reply.status()).isEqualTo(200);
    assertThat(m.get("id").asText()).isEqualTo(pushed.body().get(0).get("message_id").asText());
    assertThat(m.get("transactionId").asText()).isEqualTo("t1");
    assertThat(m.get("partitionId").asText()).isEqualTo(partitionId);
    assertThat(m.get("queue").asText()).isEqualTo("msg-get");
    assertThat(m.get("partition").asText()).isEqualTo("p1");
    assertThat(m.get("traceId").asText()).isEqualTo(traceId);
    assertThat(m.get("createdAt").asText()).endsWith("Z");
    assertThat(m.get("data")).isEqualTo(TestServer.json("{\"a\":[1,2]}"));
    assertThat(m.get("status").asText()).isEqualTo("processing");
    JsonNode groups = m.get("consumption");
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0).get("consumerGroup").asText()).isEqualTo("__QUEUE_MODE__");
    assertThat(groups.get(0).get("status").asText()).isEqualTo("completed");
    assertThat(groups.get(0).get("consumed").asBoolean()).isTrue();
    assertThat(groups.get(1).get("consumerGroup").asText()).isEqualTo("g1");
    assertThat(groups.get(1).get("status").asText()).isEqualTo("processing");
    assertThat(groups.get(1).get("consumed").asBoolean()).isFalse();
  }

  @Test
  void aDeadLetteredMessageShowsWhy() {
    String partitionId = client.push("msg-dlq", "p1", "t1");
    client.ackAll(client.pop("msg-dlq", "batch=1"), "__QUEUE_MODE__", "dlq");

    JsonNode m = server.get("/api/v1/messages/" + partitionId + "/t1").body();

    assertThat(m.get("status").asText()).isEqualTo("dead_letter");
    assertThat(m.get("errorMessage").asText()).isEqualTo("broken t1");
    assertThat(m.get("consumption").get(0).get("failedAt").asText()).endsWith("Z");
  }

  @Test
  void aMissingMessageAnswersAnErrorBody() {
    Reply reply = server.get("/api/v1/messages/" + UUID.randomUUID() + "/t1");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("error").asText()).isEqualTo("Message not found");
  }

  @Test
  void aMalformedPartitionIdIs400() {
    Reply get = server.get("/api/v1/messages/not-a-uuid/t1");
    Reply delete = server.delete("/api/v1/messages/not-a-uuid/t1");

    assertThat(get.status()).isEqualTo(400);
    assertThat(get.body().get("error").asText()).contains("partitionId");
    assertThat(delete.status()).isEqualTo(400);
  }

  @Test
  void deleteRemovesTheMessageForEveryone() {
    // given
    String partitionId = client.push("msg-del", "p1", "t1", "t2");

    // when
    Reply deleted = server.delete("/api/v1/messages/" + partitionId + "/t1");

    // then
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().get("success").asBoolean()).isTrue();
    assertThat(deleted.body().get("partitionId").asText()).isEqualTo(partitionId);
    assertThat(deleted.body().get("transactionId").asText()).isEqualTo("t1");
    assertThat(deleted.body().get("message").asText()).isEqualTo("Message deleted successfully");
    assertThat(server.get("/api/v1/messages/" + partitionId + "/t1").body().get("error").asText())
        .isEqualTo("Message not found");
    assertThat(Api.ids(client.pop("msg-del", "batch=10"))).containsExactly("t2");
    Reply again = server.delete("/api/v1/messages/" + partitionId + "/t1");
    assertThat(again.body().get("success").asBoolean()).isFalse();
    assertThat(again.body().get("message").asText()).isEqualTo("Message not found");
  }
}
