package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Spec §5 "exactly-once pipeline": ack the input and push the output in one transaction, all or nothing. */
@ExtendWith(RunningServer.class)
class TransactionTest {
  private final TestServer server;
  private final Api api;

  TransactionTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @Test
  void ackAndPushCommitTogether() {
    api.push("in", "p", "i1");
    JsonNode input = api.pop("in");
    JsonNode m = input.get("messages").get(0);

    Reply reply = server.post("/api/v1/transaction", String.format("""
        {"operations":[
          {"type":"ack","transactionId":"i1","partitionId":"%s","leaseId":"%s","status":"completed"},
          {"type":"push","items":[{"queue":"out","partition":"p","transactionId":"o1","payload":{"from":"i1"}},
                                  {"queue":"out","partition":"p","transactionId":"o2"}]}]}""",
        m.get("partitionId").asText(), m.get("leaseId").asText()));

    JsonNode body = reply.body();
    assertThat(body.get("success").asBoolean()).as("%s", body).isTrue();
    assertThat(body.get("results")).hasSize(3);
    assertThat(body.get("results").get(0).get("type").asText()).isEqualTo("ack");
    assertThat(body.get("results").get(2).get("index").asInt()).isEqualTo(2);
    assertThat(body.get("results").get(2).get("transactionId").asText()).isEqualTo("o2");
    assertThat(Api.ids(api.pop("out?batch=10"))).containsExactly("o1", "o2");
    assertThat(api.pop("in").get("success").asBoolean()).isFalse();
  }

  @Test
  void aFailingOperationRollsBackThePushAndTheInputIsRedelivered() {
    api.push("in", "p", "i1");
    JsonNode input = api.pop("in");
    JsonNode m = input.get("messages").get(0);

    Reply reply = server.post("/api/v1/transaction", String.format("""
        {"operations":[
          {"type":"ack","transactionId":"i1","partitionId":"%s","leaseId":"%s"},
          {"type":"push","items":[{"queue":"out","partition":"p","transactionId":"o1"}]},
          {"type":"ack","transactionId":"missing","partitionId":"%s"}]}""",
        m.get("partitionId").asText(), m.get("leaseId").asText(), m.get("partitionId").asText()));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("success").asBoolean()).isFalse();
    assertThat(reply.body().get("error").asText()).isEqualTo("Message not found");
    assertThat(api.pop("out?batch=10").get("messages")).isEmpty();
    // the ack was rolled back too: release the lease and the input comes again
    server.post("/api/v1/ack", String.format(
        "{\"transactionId\":\"i1\",\"partitionId\":\"%s\",\"status\":\"retry\"}", m.get("partitionId").asText()));
    assertThat(Api.ids(api.pop("in"))).containsExactly("i1");
  }

  @Test
  void aDuplicatePushOrAnInvalidLeaseFailsTheTransaction() {
    api.push("out", "p", "o1");
    api.push("in", "p", "i1");
    JsonNode m = api.pop("in").get("messages").get(0);

    Reply duplicate = server.post("/api/v1/transaction",
        "{\"operations\":[{\"type\":\"push\",\"items\":[{\"queue\":\"out\",\"partition\":\"p\",\"transactionId\":\"o2\"},"
            + "{\"queue\":\"out\",\"partition\":\"p\",\"transactionId\":\"o1\"}]}]}");
    assertThat(duplicate.body().get("success").asBoolean()).isFalse();
    Reply badLease = server.post("/api/v1/transaction", String.format(
        "{\"operations\":[{\"type\":\"ack\",\"transactionId\":\"i1\",\"partitionId\":\"%s\",\"leaseId\":\"%s\"}]}",
        m.get("partitionId").asText(), java.util.UUID.randomUUID()));
    assertThat(badLease.body().get("error").asText()).isEqualTo("Invalid or expired lease");
    Reply unknown = server.post("/api/v1/transaction", "{\"operations\":[{\"type\":\"launch\"}]}");
    assertThat(unknown.body().get("success").asBoolean()).isFalse();

    assertThat(Api.ids(api.pop("out?batch=10"))).containsExactly("o1");
  }

  @Test
  void aFailedAckInsideATransactionGoesStraightToTheDeadLetterQueue() {
    api.push("in", "p", "i1", "i2");
    JsonNode m = api.pop("in").get("messages").get(0);
    Reply reply = server.post("/api/v1/transaction", String.format(
        "{\"operations\":[{\"type\":\"ack\",\"transactionId\":\"i1\",\"partitionId\":\"%s\",\"status\":\"failed\"}]}",
        m.get("partitionId").asText()));
    assertThat(reply.body().get("results").get(0).get("dlq").asBoolean()).isTrue();
    assertThat(Api.ids(api.pop("in"))).containsExactly("i2");
  }
}
