package dev.queenj.server;

import static dev.queenj.server.Api.encode;
import static dev.queenj.server.Api.timeBetweenPushes;
import static dev.queenj.server.Api.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /consumer-groups/...}: lag, deleting groups, moving subscriptions and cursors. */
@ExtendWith(RunningServer.class)
class ConsumerGroupsTest {
  private final TestServer server;
  private final Api client;

  ConsumerGroupsTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @Test
  void listHasOneEntryPerGroupAndQueueWithItsLag() {
    // given: g1 consumed 1 of 3 messages on cg-list-a and all of cg-list-b; a second partition of a is untouched
    client.push("cg-list-a", "p1", "t1", "t2", "t3");
    client.push("cg-list-b", "p1", "t1");
    client.ackAll(client.popPartition("cg-list-a", "p1", "batch=1&consumerGroup=g1"), "g1", "completed");
    client.consumeAll("cg-list-b", "g1");
    client.push("cg-list-a", "p2", "t4");

    // when
    JsonNode list = server.get("/api/v1/consumer-groups").body();

    // then
    assertThat(list).hasSize(2);
    JsonNode a = list.get(0);
    assertThat(a.get("name").asText()).isEqualTo("g1");
    assertThat(a.get("queueName").asText()).isEqualTo("cg-list-a");
    assertThat(a.get("topics").get(0).asText()).isEqualTo("cg-list-a");
    assertThat(a.get("members").asInt()).isEqualTo(1);
    assertThat(a.get("totalLag").asLong()).isEqualTo(3);
    assertThat(a.get("partitionsWithLag").asInt()).isEqualTo(2);
    assertThat(a.get("state").asText()).isEqualTo("Stable");
    assertThat(a.get("subscriptionMode").asText()).isEqualTo("all");
    JsonNode b = list.get(1);
    assertThat(b.get("queueName").asText()).isEqualTo("cg-list-b");
    assertThat(b.get("totalLag").asLong()).isZero();
    assertThat(b.get("partitionsWithLag").asInt()).isZero();
  }

  @Test
  void detailShowsEveryPartitionOfEveryQueueTheGroupReads() {
    // given
    client.push("cg-detail", "p1", "t1", "t2");
    client.push("cg-detail", "p2", "t3");
    client.ackAll(client.popPartition("cg-detail", "p1", "batch=1&consumerGroup=g1&workerId=w1"), "g1",
        "completed");
    client.popPartition("cg-detail", "p1", "batch=1&consumerGroup=g1&workerId=w1");

    // when
    JsonNode body = server.get("/api/v1/consumer-groups/g1").body();

    // then
    JsonNode partitions = body.get("cg-detail").get("partitions");
    assertThat(partitions).hasSize(2);
    JsonNode p1 = partitions.get(0);
    assertThat(p1.get("partition").asText()).isEqualTo("p1");
    assertThat(p1.get("workerId").asText()).isEqualTo("w1");
    assertThat(p1.get("totalConsumed").asLong()).isEqualTo(1);
    assertThat(p1.get("offsetLag").asLong()).isEqualTo(1);
    assertThat(p1.get("leaseActive").asBoolean()).isTrue();
    assertThat(p1.get("lastConsumedAt").asText()).endsWith("Z");
    JsonNode p2 = partitions.get(1);
    assertThat(p2.get("partition").asText()).isEqualTo("p2");
    assertThat(p2.get("offsetLag").asLong()).isEqualTo(1);
    assertThat(p2.get("leaseActive").asBoolean()).isFalse();
    assertThat(server.get("/api/v1/consumer-groups/nobody").body()).isEmpty();
  }

  @Test
  void deletingAGroupResetsItsCursor() {
    // given: g1 has consumed everything
    client.push("cg-delete", "p1", "t1", "t2");
    assertThat(client.consumeAll("cg-delete", "g1")).containsExactly("t1", "t2");
    assertThat(client.pop("cg-delete", "consumerGroup=g1").get("messages")).isEmpty();

    // when
    Reply deleted = server.delete("/api/v1/consumer-groups/g1");

    // then
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().get("success").asBoolean()).isTrue();
    assertThat(deleted.body().get("consumerGroup").asText()).isEqualTo("g1");
    assertThat(deleted.body().get("deletedPartitions").asInt()).isEqualTo(1);
    assertThat(deleted.body().get("metadataDeleted").asBoolean()).isTrue();
    assertThat(Api.ids(client.pop("cg-delete", "batch=10&consumerGroup=g1"))).containsExactly("t1", "t2");
  }

  @Test
  void deletingAGroupOnOneQueueLeavesItsOtherQueues() {
    // given
    client.push("cg-scope-a", "p1", "t1");
    client.push("cg-scope-b", "p1", "t1");
    client.consumeAll("cg-scope-a", "g1");
    client.consumeAll("cg-scope-b", "g1");

    // when
    Reply deleted = server.delete("/api/v1/consumer-groups/g1/queues/cg-scope-a");

    // then
    assertThat(deleted.body().get("queueName").asText()).isEqualTo("cg-scope-a");
    assertThat(deleted.body().get("deletedPartitions").asInt()).isEqualTo(1);
    assertThat(Api.ids(client.pop("cg-scope-a", "batch=10&consumerGroup=g1"))).containsExactly("t1");
    assertThat(client.pop("cg-scope-b", "batch=10&consumerGroup=g1").get("messages")).isEmpty();
  }

  @Test
  void deleteMetadataFalseKeepsTheSubscription() {
    // given: g1 subscribed to new messages only, then consumed one
    client.push("cg-meta", "p1", "old");
    client.pop("cg-meta", "consumerGroup=g1&subscriptionMode=new");
    client.push("cg-meta", "p1", "new");
    assertThat(client.consumeAll("cg-meta", "g1")).containsExactly("new");

    // when
    Reply deleted = server.delete("/api/v1/consumer-groups/g1?deleteMetadata=false");

    // then: the cursor is gone but the start is kept, so "old" stays skipped
    assertThat(deleted.body().get("metadataDeleted").asBoolean()).isFalse();
    assertThat(Api.ids(client.pop("cg-meta", "batch=10&consumerGroup=g1"))).containsExactly("new");
  }

  @Test
  void subscriptionUpdateMovesWhereUnreadPartitionsStart() {
    // given: g1 reads cg-sub from the beginning; partition p2 has an old and a new message, unread by g1
    client.push("cg-sub", "p1", "t1");
    client.consumeAll("cg-sub", "g1");
    client.push("cg-sub", "p2", "old");
    String between = timeBetweenPushes();
    client.push("cg-sub", "p2", "new");

    // when
    Reply updated = server.post("/api/v1/consumer-groups/g1/subscription",
        "{\"subscriptionTimestamp\":\"" + between + "\"}");

    // then
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.body().get("success").asBoolean()).isTrue();
    assertThat(updated.body().get("rowsUpdated").asInt()).isEqualTo(1);
    assertThat(Api.ids(client.popPartition("cg-sub", "p2", "batch=10&consumerGroup=g1")))
        .containsExactly("new");
  }

  @Test
  void subscriptionUpdateNeedsAValidTimestamp() {
    Reply missing = server.post("/api/v1/consumer-groups/g1/subscription", "{}");
    Reply malformed = server.post("/api/v1/consumer-groups/g1/subscription",
        "{\"subscriptionTimestamp\":\"yesterday\"}");

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().get("error").asText()).contains("subscriptionTimestamp");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().get("error").asText()).contains("yesterday");
  }

  @Test
  void seekToEndSkipsEverythingStoredAndReleasesTheLease() {
    // given: g1 holds a lease on a batch, and more is waiting
    client.push("cg-end", "p1", "t1", "t2", "t3");
    client.push("cg-end", "p2", "t4");
    assertThat(Api.ids(client.popPartition("cg-end", "p1", "batch=1&consumerGroup=g1")))
        .containsExactly("t1");

    // when
    Reply seek = server.post("/api/v1/consumer-groups/g1/queues/cg-end/seek", "{\"toEnd\":true}");

    // then
    assertThat(seek.status()).isEqualTo(200);
    assertThat(seek.body().get("seekToEnd").asBoolean()).isTrue();
    assertThat(seek.body().get("partitionsUpdated").asInt()).isEqualTo(2);
    JsonNode empty = client.pop("cg-end", "batch=10&consumerGroup=g1");
    assertThat(empty.get("messages")).isEmpty();
    client.push("cg-end", "p1", "t5");
    assertThat(Api.ids(client.pop("cg-end", "batch=10&consumerGroup=g1"))).containsExactly("t5");
  }

  @Test
  void seekToATimestampRedeliversFromThatTime() {
    // given: g1 consumed everything
    client.push("cg-time", "p1", "old");
    String between = timeBetweenPushes();
    client.push("cg-time", "p1", "new1", "new2");
    client.consumeAll("cg-time", "g1");

    // when
    Reply seek = server.post("/api/v1/consumer-groups/g1/queues/cg-time/seek",
        "{\"timestamp\":\"" + between + "\"}");

    // then
    assertThat(seek.status()).isEqualTo(200);
    assertThat(seek.body().get("seekToEnd").asBoolean()).isFalse();
    assertThat(seek.body().get("targetTimestamp").asText()).endsWith("Z");
    assertThat(Api.ids(client.pop("cg-time", "batch=10&consumerGroup=g1")))
        .containsExactly("new1", "new2");
  }

  @Test
  void seekNeedsToEndOrATimestamp() {
    client.push("cg-bad", "p1", "t1");

    Reply neither = server.post("/api/v1/consumer-groups/g1/queues/cg-bad/seek", "{\"toEnd\":false}");
    Reply malformed = server.post("/api/v1/consumer-groups/g1/queues/cg-bad/seek", "{\"timestamp\":\"soon\"}");
    Reply noBody = server.post("/api/v1/consumer-groups/g1/queues/cg-bad/seek", "");

    assertThat(neither.status()).isEqualTo(400);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(noBody.status()).isEqualTo(400);
    assertThat(Api.ids(client.pop("cg-bad", "consumerGroup=g1"))).containsExactly("t1");
  }

  @Test
  void partitionSeekMovesOnlyThatPartitionToTheEnd() {
    // given
    client.push("cg-part", "skip me", "t1", "t2");
    client.push("cg-part", "p2", "t3");

    // when
    Reply seek = server.post("/api/v1/consumer-groups/g1/queues/cg-part/partitions/" + encode("skip me")
        .replace("+", "%20") + "/seek", "");

    // then
    assertThat(seek.status()).isEqualTo(200);
    assertThat(seek.body().get("partitionName").asText()).isEqualTo("skip me");
    assertThat(seek.body().get("partitionsUpdated").asInt()).isEqualTo(1);
    assertThat(Api.ids(client.pop("cg-part", "batch=10&consumerGroup=g1"))).containsExactly("t3");
  }

  @Test
  void laggingListsPartitionsWhoseOldestUnconsumedMessageIsOldEnough() {
    client.push("lag-q", "slow", "t1");
    client.consumeAll("lag-q", "caught-up");
    client.pop("lag-q", "batch=1&consumerGroup=behind");

    JsonNode lagging = server.get("/api/v1/consumer-groups/lagging?minLagSeconds=0").body();
    assertThat(lagging).hasSize(1);
    assertThat(lagging.get(0).get("consumerGroup").asText()).isEqualTo("behind");
    assertThat(lagging.get(0).get("partition").asText()).isEqualTo("slow");
    assertThat(lagging.get(0).get("offsetLag").asLong()).isEqualTo(1);
    // by default only an hour of lag counts
    assertThat(server.get("/api/v1/consumer-groups/lagging").body()).isEmpty();
    assertThat(server.get("/api/v1/consumer-groups/lagging?minLagSeconds=-1").status()).isEqualTo(400);
  }

}
