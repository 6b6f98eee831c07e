package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /resources/...}: counts relative to consumer cursors, queue listing and detail, deleting a queue. */
@ExtendWith(RunningServer.class)
class ResourcesTest {
  private final TestServer server;
  private final Api client;

  ResourcesTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @Test
  void partitionStatsFollowTheCursors() {
    // given: 5 messages; 2 consumed and 1 dead-lettered by queue mode, 2 more in a live leased batch
    client.push("res-stats", "p1", "t1", "t2", "t3", "t4", "t5");
    client.ackAll(client.pop("res-stats", "batch=2"), "__QUEUE_MODE__", "completed");
    client.ackAll(client.pop("res-stats", "batch=1"), "__QUEUE_MODE__", "dlq");
    client.pop("res-stats", "batch=2");

    // when
    Reply reply = server.get("/api/v1/resources/queues/res-stats");

    // then
    JsonNode body = reply.body();
    assertThat(reply.status()).isEqualTo(200);
    assertThat(body.get("name").asText()).isEqualTo("res-stats");
    assertThat(body.get("partitions")).hasSize(1);
    JsonNode partition = body.get("partitions").get(0);
    assertThat(partition.get("name").asText()).isEqualTo("p1");
    assertThat(partition.get("oldestMessage").asText()).endsWith("Z");
    assertStats(partition.get("stats"), 5, 0, 2, 3, 1, 1);
    assertStats(body.get("totals"), 5, 0, 2, 3, 1, 1);
  }

  @Test
  void aMessageIsCompletedOnlyWhenEveryGroupConsumedIt() {
    // given: queue mode consumed both messages, group g1 only the first
    client.push("res-groups", "p1", "t1", "t2");
    client.consumeAll("res-groups", "__QUEUE_MODE__");
    client.ackAll(client.pop("res-groups", "batch=1&consumerGroup=g1"), "g1", "completed");

    // when
    JsonNode stats = server.get("/api/v1/resources/queues/res-groups").body().get("totals");

    // then
    assertStats(stats, 2, 1, 0, 1, 0, 0);
  }

  @Test
  void queuesListsEveryQueueWithItsTotals() {
    // given
    client.push("res-list-a", "p1", "t1", "t2");
    client.push("res-list-a", "p2", "t3");
    client.push("res-list-b.task", "Default", "t1");
    client.pop("res-list-a", "batch=10");

    // when
    JsonNode queues = server.get("/api/v1/resources/queues").body().get("queues");

    // then
    assertThat(queues).hasSize(2);
    JsonNode a = queues.get(0);
    assertThat(a.get("name").asText()).isEqualTo("res-list-a");
    assertThat(a.get("partitions").asInt()).isEqualTo(2);
    assertThat(a.get("messages").get("total").asLong()).isEqualTo(3);
    assertThat(a.get("messages").get("processing").asLong()
        + a.get("messages").get("pending").asLong()).isEqualTo(3);
    JsonNode b = queues.get(1);
    assertThat(b.get("namespace").asText()).isEqualTo("res-list-b");
    assertThat(b.get("task").asText()).isEqualTo("task");
    assertThat(b.get("messages").get("pending").asLong()).isEqualTo(1);
  }

  @Test
  void overviewSumsEverything() {
    // given
    client.push("res-ov-a.x", "p1", "t1", "t2", "t3");
    client.push("res-ov-b.y", "p1", "t1");
    client.ackAll(client.pop("res-ov-a.x", "batch=1"), "__QUEUE_MODE__", "completed");

    // when
    JsonNode body = server.get("/api/v1/resources/overview").body();

    // then
    assertThat(body.get("queues").asInt()).isEqualTo(2);
    assertThat(body.get("partitions").asInt()).isEqualTo(2);
    assertThat(body.get("namespaces").asInt()).isEqualTo(2);
    assertThat(body.get("tasks").asInt()).isEqualTo(2);
    assertStats(body.get("messages"), 4, 3, 0, 1, 0, 0);
    assertThat(body.get("lag").get("offset").get("max").asLong()).isEqualTo(2);
    assertThat(body.get("throughput").get("ingestedPerSecond").asDouble()).isEqualTo(4 / 60.0);
    assertThat(body.get("statsAge").asInt()).isZero();
    assertThat(body.get("timestamp").asText()).endsWith("Z");
  }

  @Test
  void viewsOverEveryQueueShareOneReadAndSayHowOldItIs() {
    // given: the counts read once (a new queue is counted at once)
    client.push("res-shared.t", "p1", "t1", "t2");
    JsonNode overview = server.get("/api/v1/resources/overview").body();
    String readAt = overview.get("statsReadAt").asText();

    // when: more work on the same queue, and every view asked again right away
    client.push("res-shared.t", "p1", "t3");
    JsonNode queues = server.get("/api/v1/resources/queues").body();
    JsonNode namespaces = server.get("/api/v1/resources/namespaces").body();
    JsonNode tasks = server.get("/api/v1/resources/tasks").body();
    JsonNode detail = server.get("/api/v1/resources/queues/res-shared.t").body();

    // then: the views answer from that read and say so; one queue's detail is counted on request
    assertThat(readAt).endsWith("Z");
    assertThat(overview.get("statsAge").asLong()).isBetween(0L, 5L);
    for (JsonNode view : List.of(queues, namespaces, tasks)) {
      assertThat(view.get("statsReadAt").asText()).isEqualTo(readAt);
      assertThat(view.get("statsAge").asLong()).isBetween(0L, 5L);
    }
    assertThat(queues.get("queues").get(0).get("messages").get("total").asLong()).isEqualTo(2);
    assertThat(detail.get("totals").get("total").asLong()).isEqualTo(3);
  }

  @Test
  void aMissingQueueAnswersAnErrorBody() {
    Reply reply = server.get("/api/v1/resources/queues/res-nowhere");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("error").asText()).isEqualTo("Queue not found");
  }

  @Test
  void deletingAQueueRemovesEverythingOfIt() {
    // given: messages, consumer state and a dead letter
    client.push("res-del", "p1", "t1", "t2", "t3");
    client.ackAll(client.pop("res-del", "batch=1"), "__QUEUE_MODE__", "dlq");
    client.pop("res-del", "batch=1&consumerGroup=g1");

    // when
    Reply deleted = server.delete("/api/v1/resources/queues/res-del");

    // then
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().get("deleted").asBoolean()).isTrue();
    assertThat(deleted.body().get("queue").asText()).isEqualTo("res-del");
    assertThat(deleted.body().get("existed").asBoolean()).isTrue();
    assertThat(server.get("/api/v1/resources/queues/res-del").body().get("error").asText())
        .isEqualTo("Queue not found");
    assertThat(client.pop("res-del", "batch=10").get("messages")).isEmpty();
    assertThat(client.pop("res-del", "batch=10").get("error").asText()).isEqualTo("no_available_partition");
    assertThat(server.get("/api/v1/dlq?queue=res-del").body().get("pagination").get("total").asLong()).isZero();
    assertThat(server.get("/api/v1/consumer-groups").body()).isEmpty();
    assertThat(server.delete("/api/v1/resources/queues/res-del").body().get("existed").asBoolean()).isFalse();
  }

  private static void assertStats(JsonNode stats, long total, long pending, long processing, long completed,
      long failed, long deadLetter) {
    assertThat(stats.get("total").asLong()).as("total").isEqualTo(total);
    assertThat(stats.get("pending").asLong()).as("pending").isEqualTo(pending);
    assertThat(stats.get("processing").asLong()).as("processing").isEqualTo(processing);
    assertThat(stats.get("completed").asLong()).as("completed").isEqualTo(completed);
    assertThat(stats.get("failed").asLong()).as("failed").isEqualTo(failed);
    assertThat(stats.get("deadLetter").asLong()).as("deadLetter").isEqualTo(deadLetter);
  }
}
