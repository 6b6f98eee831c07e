package dev.queenj.server;

import static dev.queenj.server.Api.encode;
import static dev.queenj.server.Api.timeBetweenPushes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /dlq}: filters, and pagination whose total counts every matching dead letter. */
@ExtendWith(RunningServer.class)
class DeadLetterQueueTest {
  private final TestServer server;
  private final Api client;

  DeadLetterQueueTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @Test
  void pagesCoverEveryDeadLetterOnceAndReportTheTotal() {
    // given: 5 dead letters
    client.push("dlq-pages", "p1", "t1", "t2", "t3", "t4", "t5");
    client.ackAll(client.pop("dlq-pages", "batch=10"), "__QUEUE_MODE__", "dlq");

    // when
    List<String> seen = new ArrayList<>();
    for (int offset = 0; offset < 6; offset += 2) {
      JsonNode page = server.get("/api/v1/dlq?queue=dlq-pages&limit=2&offset=" + offset).body();
      JsonNode pagination = page.get("pagination");
      assertThat(pagination.get("total").asLong()).isEqualTo(5);
      assertThat(pagination.get("limit").asInt()).isEqualTo(2);
      assertThat(pagination.get("offset").asInt()).isEqualTo(offset);
      assertThat(page.get("messages")).hasSize(offset < 4 ? 2 : 1);
      page.get("messages").forEach(m -> seen.add(m.get("transactionId").asText()));
    }
    JsonNode pastTheEnd = server.get("/api/v1/dlq?queue=dlq-pages&limit=2&offset=10").body();

    // then
    assertThat(seen).containsExactlyInAnyOrder("t1", "t2", "t3", "t4", "t5");
    assertThat(pastTheEnd.get("messages")).isEmpty();
    assertThat(pastTheEnd.get("pagination").get("total").asLong()).isEqualTo(5);
  }

  @Test
  void aDeadLetterCarriesTheMessageAndWhyItFailed() {
    // given
    String partitionId = client.push("dlq-fields", "p1", "t1");
    client.ackAll(client.pop("dlq-fields", "batch=1&consumerGroup=g1"), "g1", "dlq");

    // when
    JsonNode page = server.get("/api/v1/dlq").body();

    // then
    assertThat(page.get("pagination").get("limit").asInt()).isEqualTo(100);
    assertThat(page.get("pagination").get("offset").asInt()).isZero();
    JsonNode m = page.get("messages").get(0);
    assertThat(m.get("id").asText()).isNotEmpty();
    assertThat(m.get("transactionId").asText()).isEqualTo("t1");
    assertThat(m.get("partitionId").asText()).isEqualTo(partitionId);
    assertThat(m.get("queue").asText()).isEqualTo("dlq-fields");
    assertThat(m.get("partition").asText()).isEqualTo("p1");
    assertThat(m.get("consumerGroup").asText()).isEqualTo("g1");
    assertThat(m.get("errorMessage").asText()).isEqualTo("broken t1");
    assertThat(m.get("retryCount").asInt()).isZero();
    assertThat(m.get("data").get("id").asText()).isEqualTo("t1");
    assertThat(m.get("createdAt").asText()).endsWith("Z");
    assertThat(m.get("failedAt").asText()).endsWith("Z");
  }

  @Test
  void filtersByGroupPartitionQueueAndTime() {
    // given: g1 gives up on p1's two messages, g2 on p2's one, then on another queue's
    client.push("dlq-filter", "p1", "t1", "t2");
    client.push("dlq-filter", "p2", "t3");
    client.push("dlq-other", "p1", "t4");
    client.ackAll(client.popPartition("dlq-filter", "p1", "batch=10&consumerGroup=g1"), "g1", "dlq");
    client.ackAll(client.popPartition("dlq-filter", "p2", "batch=10&consumerGroup=g2"), "g2", "dlq");
    String between = timeBetweenPushes();
    client.ackAll(client.pop("dlq-other", "batch=10&consumerGroup=g2"), "g2", "dlq");

    // then
    assertThat(total("consumerGroup=g1")).isEqualTo(2);
    assertThat(total("consumerGroup=g2")).isEqualTo(2);
    assertThat(total("queue=dlq-filter&consumerGroup=g2")).isEqualTo(1);
    assertThat(total("queue=dlq-filter&partition=p1")).isEqualTo(2);
    assertThat(total("from=" + encode(between))).isEqualTo(1);
    assertThat(total("to=" + encode(between))).isEqualTo(3);
    assertThat(total("queue=nowhere")).isZero();
  }

  @Test
  void badQueryParametersAre400() {
    assertThat(server.get("/api/v1/dlq?limit=ten").status()).isEqualTo(400);
    assertThat(server.get("/api/v1/dlq?offset=-1").status()).isEqualTo(400);
    assertThat(server.get("/api/v1/dlq?limit=0").status()).isEqualTo(400);
    Reply badTime = server.get("/api/v1/dlq?from=last-week");
    assertThat(badTime.status()).isEqualTo(400);
    assertThat(badTime.body().get("error").asText()).contains("from");
  }

  private long total(String query) {
    return server.get("/api/v1/dlq?" + query).body().get("pagination").get("total").asLong();
  }
}
