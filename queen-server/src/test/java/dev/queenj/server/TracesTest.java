package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /traces}: recording trace events on messages and reading them back by message and by name. */
@ExtendWith(RunningServer.class)
class TracesTest {
  private final TestServer server;
  private final Api client;

  TracesTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @Test
  void aTracePostedIsReadBackByMessageAndByName() {
    // given
    String partitionId = client.push("trace-q", "p1", "t1", "t2");

    // when: Queen's client posts one name as a string, several as an array
    Reply first = trace(partitionId, "t1", "{\"text\":\"started\"}", "\"order-1\"", null, "g1");
    Reply second = trace(partitionId, "t1", "{\"text\":\"done\"}", "[\"order-1\",\"batch-7\",\"order-1\"]", "step",
        null);
    Reply other = trace(partitionId, "t2", "\"plain\"", "[\"order-1\"]", null, null);

    // then
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("success").asBoolean()).isTrue();
    UUID firstId = UUID.fromString(first.body().get("traceId").asText());
    JsonNode byMessage = server.get("/api/v1/traces/" + partitionId + "/t1").body();
    assertThat(byMessage.get("count").asInt()).isEqualTo(2);
    JsonNode a = byMessage.get("traces").get(0);
    assertThat(a.get("id").asText()).isEqualTo(firstId.toString());
    assertThat(a.get("event_type").asText()).isEqualTo("info");
    assertThat(a.get("data")).isEqualTo(TestServer.json("{\"text\":\"started\"}"));
    assertThat(a.get("consumer_group").asText()).isEqualTo("g1");
    assertThat(a.get("created_at").asText()).endsWith("Z");
    assertThat(a.get("trace_names")).containsExactly(TestServer.json("\"order-1\""));
    JsonNode b = byMessage.get("traces").get(1);
    assertThat(b.get("id").asText()).isEqualTo(second.body().get("traceId").asText());
    assertThat(b.get("event_type").asText()).isEqualTo("step");
    assertThat(b.get("consumer_group").isNull()).isTrue();
    assertThat(b.get("trace_names").toString()).isEqualTo("[\"batch-7\",\"order-1\"]");

    JsonNode byName = server.get("/api/v1/traces/by-name/order-1").body();
    assertThat(byName.get("total").asInt()).isEqualTo(3);
    assertThat(byName.get("traces")).extracting(t -> t.get("transaction_id").asText())
        .containsExactly("t1", "t1", "t2");
    JsonNode named = byName.get("traces").get(2);
    assertThat(named.get("id").asText()).isEqualTo(other.body().get("traceId").asText());
    assertThat(named.get("queue_name").asText()).isEqualTo("trace-q");
    assertThat(named.get("partition_name").asText()).isEqualTo("p1");
    assertThat(named.get("partition_id").asText()).isEqualTo(partitionId);
    assertThat(named.get("data").asText()).isEqualTo("plain");

    JsonNode names = server.get("/api/v1/traces/names").body();
    assertThat(names.get("total").asInt()).isEqualTo(2);
    assertThat(names.get("trace_names")).extracting(n -> n.get("trace_name").asText())
        .containsExactlyInAnyOrder("order-1", "batch-7");
    JsonNode order = names.get("trace_names").get(0).get("trace_name").asText().equals("order-1")
        ? names.get("trace_names").get(0) : names.get("trace_names").get(1);
    assertThat(order.get("trace_count").asInt()).isEqualTo(3);
    assertThat(order.get("message_count").asInt()).isEqualTo(2);
  }

  @Test
  void queensJsClientsBodyIsTaken() {
    // what Queen's JS client posts from msg.trace({data}) without a traceName: traceNames null, the group always set
    String partitionId = client.push("trace-js", "p1", "t1");

    Reply reply = server.post("/api/v1/traces", "{\"transactionId\":\"t1\",\"partitionId\":\"" + partitionId
        + "\",\"consumerGroup\":\"__QUEUE_MODE__\",\"traceNames\":null,\"eventType\":\"info\","
        + "\"data\":{\"text\":\"hi\"}}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("success").asBoolean()).isTrue();
    JsonNode trace = server.get("/api/v1/traces/" + partitionId + "/t1").body().get("traces").get(0);
    assertThat(trace.get("consumer_group").asText()).isEqualTo("__QUEUE_MODE__");
    assertThat(trace.get("trace_names")).isEmpty();
    assertThat(trace.get("data").get("text").asText()).isEqualTo("hi");
  }

  @Test
  void byNameAndNamesArePaginated() {
    String partitionId = client.push("trace-pages", "p1", "t1");
    for (int i = 0; i < 5; i++) {
      trace(partitionId, "t1", "{\"i\":" + i + "}", "[\"wf\",\"n" + i + "\"]", null, null);
    }

    JsonNode page = server.get("/api/v1/traces/by-name/wf?limit=2&offset=2").body();
    JsonNode past = server.get("/api/v1/traces/by-name/wf?limit=2&offset=10").body();
    JsonNode names = server.get("/api/v1/traces/names?limit=4&offset=4").body();

    assertThat(page.get("traces")).extracting(t -> t.get("data").get("i").asInt()).containsExactly(2, 3);
    assertThat(page.get("total").asInt()).isEqualTo(5);
    assertThat(page.get("limit").asInt()).isEqualTo(2);
    assertThat(page.get("offset").asInt()).isEqualTo(2);
    assertThat(past.get("traces")).isEmpty();
    assertThat(past.get("total").asInt()).isEqualTo(5);
    assertThat(names.get("total").asInt()).isEqualTo(6);
    assertThat(names.get("trace_names")).hasSize(2);
  }

  @Test
  void aTraceOfAMissingMessageRecordsNothing() {
    String partitionId = client.push("trace-missing", "p1", "t1");

    Reply reply = trace(partitionId, "nope", "{}", "\"x\"", null, null);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("success").asBoolean()).isFalse();
    assertThat(reply.body().get("error").asText()).isEqualTo("Message not found");
    assertThat(server.get("/api/v1/traces/names").body().get("total").asInt()).isZero();
  }

  @Test
  void tracesGoWithTheirQueue() {
    String partitionId = client.push("trace-deleted", "p1", "t1");
    trace(partitionId, "t1", "{}", "\"gone\"", null, null);

    server.delete("/api/v1/resources/queues/trace-deleted");

    assertThat(server.get("/api/v1/traces/" + partitionId + "/t1").body().get("traces")).isEmpty();
    assertThat(server.get("/api/v1/traces/by-name/gone").body().get("total").asInt()).isZero();
  }

  @Test
  void badInputIs400AndRecordsNothing() {
    String partitionId = client.push("trace-bad", "p1", "t1");
    String valid = "\"partitionId\":\"" + partitionId + "\",\"transactionId\":\"t1\"";

    Api.assertBadRequest(server.post("/api/v1/traces", "{\"transactionId\":\"t1\",\"data\":{}}"), "partitionId");
    Api.assertBadRequest(server.post("/api/v1/traces", "{\"partitionId\":\"x\",\"transactionId\":\"t1\",\"data\":{}}"),
        "partitionId");
    Api.assertBadRequest(server.post("/api/v1/traces", "{\"partitionId\":\"" + partitionId + "\",\"data\":{}}"),
        "transactionId");
    Api.assertBadRequest(server.post("/api/v1/traces", "{" + valid + "}"), "data");
    Api.assertBadRequest(server.post("/api/v1/traces", "{" + valid + ",\"data\":{},\"traceNames\":7}"), "traceNames");
    Api.assertBadRequest(server.post("/api/v1/traces", "{" + valid + ",\"data\":{},\"traceNames\":[\"a\",1]}"), "traceNames");
    Api.assertBadRequest(server.post("/api/v1/traces", "{" + valid + ",\"data\":{},\"traceNames\":[\"\"]}"), "trace name");
    Api.assertBadRequest(server.post("/api/v1/traces", "{" + valid + ",\"data\":{},\"eventType\":3}"), "eventType");
    Api.assertBadRequest(server.post("/api/v1/traces", "not json"), "JSON");
    Api.assertBadRequest(server.get("/api/v1/traces/not-a-uuid/t1"), "partitionId");
    Api.assertBadRequest(server.get("/api/v1/traces/by-name/x?limit=0"), "limit");
    Api.assertBadRequest(server.get("/api/v1/traces/by-name/x?limit=1001"), "limit");
    Api.assertBadRequest(server.get("/api/v1/traces/names?offset=-1"), "offset");
    Api.assertBadRequest(server.get("/api/v1/traces/names?limit=abc"), "limit");
    assertThat(server.get("/api/v1/traces/" + partitionId + "/t1").body().get("traces")).isEmpty();
  }

  private Reply trace(String partitionId, String transactionId, String data, String names, String eventType,
      String group) {
    StringBuilder body = new StringBuilder("{\"partitionId\":\"" + partitionId + "\",\"transactionId\":\""
        + transactionId + "\",\"data\":" + data + ",\"traceNames\":" + names);
    if (eventType != null) {
      body.append(",\"eventType\":\"").append(eventType).append('"');
    }
    if (group != null) {
      body.append(",\"consumerGroup\":\"").append(group).append('"');
    }
    Reply reply = server.post("/api/v1/traces", body.append('}').toString());
    assertThat(reply.status()).as("trace answer %s", reply.body()).isEqualTo(200);
    return reply;
  }

}
