package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Spec §5 "queue mode": push, pop a batch, ack it; the lease auto-releases after the last ack. */
@ExtendWith(RunningServer.class)
class QueueModeFlowTest {
  private final TestServer server;

  QueueModeFlowTest(TestServer server) {
    this.server = server;
  }

  @Test
  void pushPopAckReleasesTheLease() {
    // given
    Reply pushed = server.post("/api/v1/push", """
        {"items":[{"queue":"orders","partition":"u1","payload":{"n":1},"transactionId":"t1"},
                  {"queue":"orders","partition":"u1","payload":{"n":2},"transactionId":"t2"},
                  {"queue":"orders","partition":"u1","transactionId":"t3"}]}""");
    assertThat(pushed.status()).isEqualTo(200);
    assertThat(pushed.body()).hasSize(3);
    assertThat(pushed.body().get(0).get("status").asText()).isEqualTo("queued");
    assertThat(pushed.body().get(2).get("index").asInt()).isEqualTo(2);

    // when
    Reply popped = server.get("/api/v1/pop/queue/orders?batch=10&wait=true&timeout=2000");

    // then
    JsonNode body = popped.body();
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("messages")).hasSize(3);
    assertThat(body.get("messages").get(0).get("data").get("n").asInt()).isEqualTo(1);
    assertThat(body.get("messages").get(2).get("data").isNull()).isTrue();
    String leaseId = body.get("leaseId").asText();
    String partitionId = body.get("partitionId").asText();

    StringBuilder acks = new StringBuilder("{\"acknowledgments\":[");
    for (JsonNode m : body.get("messages")) {
      acks.append(String.format("{\"transactionId\":\"%s\",\"partitionId\":\"%s\",\"leaseId\":\"%s\"},",
          m.get("transactionId").asText(), partitionId, leaseId));
    }
    acks.setLength(acks.length() - 1);
    Reply acked = server.post("/api/v1/ack/batch", acks.append("]}").toString());
    assertThat(acked.body()).allSatisfy(item -> assertThat(item.get("success").asBoolean()).isTrue());
    assertThat(acked.body().get(2).get("leaseReleased").asBoolean()).isTrue();

    Reply empty = server.get("/api/v1/pop/queue/orders?batch=10");
    assertThat(empty.body().get("success").asBoolean()).isFalse();
    assertThat(empty.body().get("error").asText()).isEqualTo("no_available_partition");
  }
}
