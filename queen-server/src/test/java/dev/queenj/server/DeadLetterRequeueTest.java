package dev.queenj.server;

import static dev.queenj.server.Api.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.TestServer.Reply;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /dlq/:partitionId/:transactionId/requeue} moves a dead letter back into its queue as a new message,
 * once; {@code DELETE /dlq/:partitionId/:transactionId} discards it. Both name the dead letter as {@code GET /dlq}
 * lists it, and change nothing on bad input.
 */
@ExtendWith(RunningServer.class)
class DeadLetterRequeueTest {
  /** Removes what retention would remove, straight from the tables. */
  @RegisterExtension
  static final TestDatabase DB = new TestDatabase(1);
  private static final String NOT_FOUND = "Dead letter not found";
  private final TestServer server;
  private final Api client;

  DeadLetterRequeueTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @Test
  void aRequeuedDeadLetterPopsAgainAsANewMessageWithItsPayloadAndTrace() {
    // given: g1 gave up on t1, pushed with a trace id
    String traceId = UUID.randomUUID().toString();
    Reply pushed = server.post("/api/v1/push", "{\"items\":[{\"queue\":\"rq\",\"partition\":\"p1\","
        + "\"transactionId\":\"t1\",\"traceId\":\"" + traceId + "\",\"payload\":{\"id\":\"t1\",\"n\":1.50}}]}");
    assertThat(pushed.status()).isEqualTo(200);
    String partitionId = pushed.body().get(0).get("partition_id").asText();
    JsonNode popped = client.pop("rq", "batch=10&consumerGroup=g1");
    client.ackAll(popped, "g1", "dlq");
    assertThat(total("rq")).isEqualTo(1);

    // when
    Reply requeue = server.post(requeuePath(partitionId, "t1"), "");

    // then: the dead letter is gone, and g1 (which had moved past t1) pops it again as a new message
    assertThat(requeue.status()).as("%s", requeue.body()).isEqualTo(200);
    JsonNode requeued = requeue.body().get("requeued");
    assertThat(requeue.body().get("consumerGroup").asText()).isEqualTo("g1");
    assertThat(requeued.get("transactionId").asText()).isNotEqualTo("t1");
    assertThat(requeued.get("partitionId").asText()).isEqualTo(partitionId);
    assertThat(requeued.get("queue").asText()).isEqualTo("rq");
    assertThat(requeued.get("offset").asLong()).isEqualTo(1);
    assertThat(total("rq")).isZero();
    JsonNode poppedAgain = client.pop("rq", "batch=10&consumerGroup=g1");
    JsonNode again = poppedAgain.get("messages");
    assertThat(again).hasSize(1);
    assertThat(again.get(0).get("transactionId").asText()).isEqualTo(requeued.get("transactionId").asText());
    assertThat(again.get(0).get("partition").asText()).isEqualTo("p1");
    assertThat(again.get(0).get("data").toString()).isEqualTo(popped.get("messages").get(0).get("data").toString());
    assertThat(again.get(0).get("traceId").asText()).isEqualTo(traceId);
    client.ackAll(poppedAgain, "g1", "completed");
    // like a push: every group of the queue sees it, a new one after the original
    assertThat(Api.ids(client.pop("rq", "batch=10&consumerGroup=fresh")))
        .containsExactly("t1", requeued.get("transactionId").asText());

    // counted as pushed, as a push is
    assertThat(server.get("/api/v1/status/analytics?queue=rq").body().get("throughput").get("totals").get("pushed")
        .asInt()).isEqualTo(2);

    // and a second requeue finds nothing and stores nothing
    Reply second = server.post(requeuePath(partitionId, "t1"), "");
    assertThat(second.status()).isEqualTo(404);
    assertThat(second.body().get("error").asText()).isEqualTo(NOT_FOUND);
    assertThat(client.pop("rq", "batch=10&consumerGroup=g1").get("messages")).isEmpty();
  }

  @Test
  void aParkedPopIsWokenByARequeue() throws Exception {
    // given: g1 gave up on t1 and waits for more
    String partitionId = client.push("rq-wake", "p1", "t1");
    client.ackAll(client.pop("rq-wake", "batch=10&consumerGroup=g1"), "g1", "dlq");
    CompletableFuture<Reply> parked = server.getAsync("/api/v1/pop/queue/rq-wake?consumerGroup=g1&wait=true"
        + "&timeout=20000");
    Api.eventually(Duration.ofSeconds(5), () -> server.get("/metrics/prometheus").body().asText()
        .contains("queen_http_long_polls_parked 1.0"));

    // when
    long requeued = System.nanoTime();
    assertThat(server.post(requeuePath(partitionId, "t1"), "").status()).isEqualTo(200);

    // then: woken as by a push (the recheck timer alone would take 1000 ms)
    Reply reply = parked.get(10, TimeUnit.SECONDS);
    assertThat((System.nanoTime() - requeued) / 1_000_000).as("wake-up latency ms").isLessThan(500);
    assertThat(reply.body().get("messages")).hasSize(1);
  }

  @Test
  void twoRequeuesAtOnceStoreOneMessage() {
    // given
    String partitionId = client.push("rq-race", "p1", "t1");
    client.ackAll(client.pop("rq-race", "batch=10&consumerGroup=g1"), "g1", "dlq");

    // when: both requests are in flight together
    CompletableFuture<Reply> first = server.postAsync(requeuePath(partitionId, "t1"), "{\"consumerGroup\":\"g1\"}");
    CompletableFuture<Reply> second = server.postAsync(requeuePath(partitionId, "t1"), "{\"consumerGroup\":\"g1\"}");

    // then: one moved it, the other found it gone
    assertThat(List.of(first.join().status(), second.join().status())).containsExactlyInAnyOrder(200, 404);
    assertThat(client.pop("rq-race", "batch=10&consumerGroup=g1").get("messages")).hasSize(1);
    assertThat(total("rq-race")).isZero();
  }

  @Test
  void aDiscardedDeadLetterIsGoneWithoutAMessage() {
    // given
    String partitionId = client.push("rq-discard", "p1", "t1", "t2");
    client.ackAll(client.pop("rq-discard", "batch=10&consumerGroup=g1"), "g1", "dlq");

    // when
    Reply discard = server.delete("/api/v1/dlq/" + partitionId + "/t1?consumerGroup=g1");

    // then: only t2's dead letter is left, and nothing came back
    assertThat(discard.status()).as("%s", discard.body()).isEqualTo(200);
    assertThat(discard.body().get("consumerGroup").asText()).isEqualTo("g1");
    assertThat(server.get("/api/v1/dlq?queue=rq-discard").body().get("messages"))
        .extracting(m -> m.get("transactionId").asText()).containsExactly("t2");
    assertThat(client.pop("rq-discard", "batch=10&consumerGroup=g1").get("messages")).isEmpty();
    Reply again = server.delete("/api/v1/dlq/" + partitionId + "/t1");
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.body().get("error").asText()).isEqualTo(NOT_FOUND);
  }

  @Test
  void aMessageSeveralGroupsGaveUpOnNeedsTheGroupNamed() {
    // given: g1 and g2 both dead-lettered t1
    String partitionId = client.push("rq-groups", "p1", "t1");
    client.ackAll(client.pop("rq-groups", "batch=10&consumerGroup=g1"), "g1", "dlq");
    client.ackAll(client.pop("rq-groups", "batch=10&consumerGroup=g2"), "g2", "dlq");

    // then: without a group, 400 naming both, nothing changed
    assertBadRequest(server.post(requeuePath(partitionId, "t1"), "{}"), "g1, g2");
    assertBadRequest(server.delete("/api/v1/dlq/" + partitionId + "/t1"), "consumerGroup");
    assertThat(total("rq-groups")).isEqualTo(2);

    // and naming g1 requeues g1's only
    assertThat(server.post(requeuePath(partitionId, "t1"), "{\"consumerGroup\":\"g1\"}").status()).isEqualTo(200);
    assertThat(server.get("/api/v1/dlq?queue=rq-groups").body().get("messages"))
        .extracting(m -> m.get("consumerGroup").asText()).containsExactly("g2");
    assertThat(server.post(requeuePath(partitionId, "t1"), "{\"consumerGroup\":\"g1\"}").status()).isEqualTo(404);
  }

  @Test
  void badInputIs400AndChangesNothing() {
    // given
    String partitionId = client.push("rq-bad", "p1", "t1");
    client.ackAll(client.pop("rq-bad", "batch=10&consumerGroup=g1"), "g1", "dlq");

    // then
    assertBadRequest(server.post(requeuePath("not-a-uuid", "t1"), ""), "partitionId");
    assertBadRequest(server.delete("/api/v1/dlq/not-a-uuid/t1"), "partitionId");
    assertBadRequest(server.post(requeuePath(partitionId, "t1"), "{\"consumerGroup\":"), "JSON");
    assertBadRequest(server.post(requeuePath(partitionId, "t1"), "[\"g1\"]"), "object");
    assertBadRequest(server.post(requeuePath(partitionId, "t1"), "{\"consumerGroup\":7}"), "consumerGroup");
    assertThat(server.post(requeuePath(partitionId, "t1"), "{\"consumerGroup\":\"g9\"}").status()).isEqualTo(404);
    assertThat(server.post(requeuePath(partitionId, "t9"), "").status()).isEqualTo(404);
    assertThat(server.post(requeuePath(UUID.randomUUID().toString(), "t1"), "").status()).isEqualTo(404);
    assertThat(total("rq-bad")).isEqualTo(1);
    assertThat(client.pop("rq-bad", "batch=10&consumerGroup=g1").get("messages")).isEmpty();
  }

  @Test
  void aDeadLetterIsRequeuedIntoItsPartitionAfterRetentionRemovedIt() {
    // given: g1 gave up on t1, then the message and its partition were removed, as retention does once they are
    // consumed and idle
    String traceId = UUID.randomUUID().toString();
    assertThat(server.post("/api/v1/push", "{\"items\":[{\"queue\":\"rq-gone\",\"partition\":\"p1\","
        + "\"transactionId\":\"t1\",\"traceId\":\"" + traceId + "\",\"payload\":{\"id\":\"t1\"}}]}").status())
        .isEqualTo(200);
    JsonNode popped = client.pop("rq-gone", "batch=10&consumerGroup=g1");
    String partitionId = popped.get("messages").get(0).get("partitionId").asText();
    client.ackAll(popped, "g1", "dlq");
    UUID id = UUID.fromString(partitionId);
    for (String sql : List.of("DELETE FROM messages WHERE partition_id = $1",
        "DELETE FROM partition_consumers WHERE partition_id = $1", "DELETE FROM partitions WHERE id = $1")) {
      TestPostgres.await(DB.database().pool().preparedQuery(sql).execute(Tuple.of(id)));
    }
    assertThat(server.get("/api/v1/dlq?queue=rq-gone").body().get("messages").get(0).get("partition").asText())
        .isEqualTo("p1");

    // when
    Reply requeue = server.post(requeuePath(partitionId, "t1"), "");

    // then: back in p1, with the trace id the dead letter kept
    assertThat(requeue.status()).as("%s", requeue.body()).isEqualTo(200);
    JsonNode again = client.pop("rq-gone", "batch=10&consumerGroup=g1").get("messages");
    assertThat(again).hasSize(1);
    assertThat(again.get(0).get("partition").asText()).isEqualTo("p1");
    assertThat(again.get(0).get("partitionId").asText()).isEqualTo(partitionId);
    assertThat(again.get(0).get("traceId").asText()).isEqualTo(traceId);
    assertThat(again.get(0).get("data").get("id").asText()).isEqualTo("t1");
  }

  @Test
  void aDeadLetterWrittenBeforeV024WhosePartitionIsGoneIsDiscardedButNotRequeued() {
    // given: a dead letter without the partition name V024 keeps, and its partition removed
    String partitionId = client.push("rq-old", "p1", "t1");
    client.ackAll(client.pop("rq-old", "batch=10&consumerGroup=g1"), "g1", "dlq");
    UUID id = UUID.fromString(partitionId);
    for (String sql : List.of("UPDATE dead_letters SET partition_name = NULL WHERE partition_id = $1",
        "DELETE FROM messages WHERE partition_id = $1", "DELETE FROM partition_consumers WHERE partition_id = $1",
        "DELETE FROM partitions WHERE id = $1")) {
      TestPostgres.await(DB.database().pool().preparedQuery(sql).execute(Tuple.of(id)));
    }

    // then
    assertBadRequest(server.post(requeuePath(partitionId, "t1"), ""), "only discarded");
    assertThat(total("rq-old")).isEqualTo(1);
    assertThat(server.delete("/api/v1/dlq/" + partitionId + "/t1").status()).isEqualTo(200);
    assertThat(total("rq-old")).isZero();
  }

  private static String requeuePath(String partitionId, String transactionId) {
    return "/api/v1/dlq/" + partitionId + "/" + transactionId + "/requeue";
  }

  private long total(String queue) {
    return server.get("/api/v1/dlq?queue=" + queue).body().get("pagination").get("total").asLong();
  }
}
