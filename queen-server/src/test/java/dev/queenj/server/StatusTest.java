package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.stats.StatsConfig;
import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.TestPostgres;
import dev.queenj.server.TestServer.Reply;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /status*} and JSON {@code /metrics}: the counts the dashboard shows match the work done. The shared server
 * serves every test class, so throughput is compared before and after this test's own work on queues of its own.
 */
@ExtendWith(RunningServer.class)
class StatusTest {
  private final TestServer server;
  private final Api client;

  StatusTest(TestServer server, Api client) {
    this.server = server;
    this.client = client;
  }

  @Test
  void analyticsCountWhatWasPushedPoppedAckedFailedAndDeadLettered() {
    // given: 5 pushed; 4 popped and acked completed by queue mode; g1 pops 2, fails the batch (retried), pops the
    // first again and sends it to the DLQ
    client.configure("stat-q", "{\"retryLimit\":3,\"retryDelay\":0}");
    client.push("stat-q", "p1", "t1", "t2", "t3");
    client.push("stat-q", "p2", "t4", "t5");
    Reply duplicate = server.post("/api/v1/push",
        "{\"items\":[{\"queue\":\"stat-q\",\"partition\":\"p2\",\"transactionId\":\"t5\"}]}");
    assertThat(duplicate.body().get(0).get("status").asText()).isEqualTo("duplicate"); // not counted
    JsonNode first = client.popPartition("stat-q", "p1", "batch=3");
    client.ackAll(first, "__QUEUE_MODE__", "completed");
    JsonNode second = client.popPartition("stat-q", "p2", "batch=1");
    client.ackAll(second, "__QUEUE_MODE__", "completed");
    JsonNode g1 = client.popPartition("stat-q", "p2", "batch=2&consumerGroup=g1");
    JsonNode failed = client.ack(TestServer.json("[" + g1.get("messages").get(0) + "]"), "failed", "g1");
    assertThat(failed.get(0).get("success").asBoolean()).isTrue();
    JsonNode again = client.popPartition("stat-q", "p2", "batch=1&consumerGroup=g1");
    client.ackAll(again, "g1", "dlq");
    assertThat(Api.ids(first)).containsExactly("t1", "t2", "t3");
    assertThat(Api.ids(second)).containsExactly("t4");
    assertThat(Api.ids(g1)).containsExactly("t4", "t5");
    assertThat(Api.ids(again)).containsExactly("t4");

    // when
    JsonNode analytics = server.get("/api/v1/status/analytics?queue=stat-q").body();

    // then
    JsonNode totals = analytics.get("throughput").get("totals");
    assertThat(totals.get("pushed").asInt()).isEqualTo(5);
    assertThat(totals.get("popped").asInt()).isEqualTo(3 + 1 + 2 + 1);
    assertThat(totals.get("acked").asInt()).isEqualTo(4);
    assertThat(totals.get("failed").asInt()).isEqualTo(1);
    assertThat(totals.get("deadLettered").asInt()).isEqualTo(1);
    JsonNode throughput = analytics.get("throughput");
    assertThat(throughput.get("interval").asText()).isEqualTo("minute");
    assertThat(throughput.get("series")).hasSize(60);
    long pushedInSeries = 0;
    for (JsonNode bucket : throughput.get("series")) {
      pushedInSeries += bucket.get("pushed").asLong();
      assertThat(bucket.get("time").asText()).endsWith(":00Z");
    }
    assertThat(pushedInSeries).isEqualTo(5);
    assertThat(analytics.get("lag")).extracting(l -> l.get("consumerGroup").asText())
        .containsExactly("__QUEUE_MODE__", "g1");
    JsonNode queueMode = analytics.get("lag").get(0);
    assertThat(queueMode.get("queue").asText()).isEqualTo("stat-q");
    assertThat(queueMode.get("partitionsWithLag").asInt()).isEqualTo(1);
    assertThat(queueMode.get("maxTimeLagSeconds").asLong()).isNotNegative();
    assertThat(queueMode.get("totalConsumed").asInt()).isEqualTo(4);
  }

  @Test
  void countsAreFlushedToPostgresAndNotCountedTwice() {
    // a server of its own that flushes every 100 ms
    QueenConfig config = new QueenConfig(new DatabaseConfig(TestPostgres.url(), TestServer.freshDataDir(), 4),
        TestServer.defaultHttp(), TestServer.kafka(true), 5_000).withStats(new StatsConfig(100, 7));
    try (TestServer own = TestServer.start(config)) {
      Api ownClient = new Api(own);
      ownClient.push("flushed-q", "p1", "a", "b");

      // when: the flusher has written them
      Api.eventually(Duration.ofSeconds(10), () -> storedPushes("flushed-q") == 2);
      ownClient.push("flushed-q", "p1", "c");

      // then: stored ones and those not flushed yet, each once
      assertThat(own.get("/api/v1/status/analytics?queue=flushed-q").body().get("throughput").get("totals")
          .get("pushed").asInt()).isEqualTo(3);
      Api.eventually(Duration.ofSeconds(10), () -> storedPushes("flushed-q") == 3);
      assertThat(own.get("/api/v1/status/analytics?queue=flushed-q").body().get("throughput").get("totals")
          .get("pushed").asInt()).isEqualTo(3);
    }
  }

  private static long storedPushes(String queue) {
    Vertx vertx = Vertx.vertx();
    try {
      Database database = TestPostgres.database(vertx, 1);
      try {
        return TestPostgres.await(database.pool()
            .preparedQuery("SELECT coalesce(sum(pushed), 0)::bigint AS n FROM queue_stats WHERE queue_name = $1")
            .execute(Tuple.of(queue))).iterator().next().getLong("n");
      } finally {
        TestPostgres.await(database.close());
      }
    } finally {
      TestPostgres.await(vertx.close());
    }
  }

  @Test
  void statusAndQueuesShowSizesThroughputAndLag() {
    client.push("overview-a", "p1", "x1", "x2");
    client.push("overview-a", "p2", "x3");
    client.push("overview-b", "p1", "y1");
    client.ackAll(client.pop("overview-a", "batch=1"), "__QUEUE_MODE__", "dlq");

    JsonNode status = server.get("/api/v1/status").body();
    JsonNode queues = server.get("/api/v1/status/queues").body().get("queues");
    JsonNode one = server.get("/api/v1/status/queues/overview-a").body();

    assertThat(status.get("queues").asInt()).isEqualTo(2);
    assertThat(status.get("partitions").asInt()).isEqualTo(3);
    assertThat(status.get("deadLetters").asInt()).isEqualTo(1);
    assertThat(status.get("consumerGroups").asInt()).isEqualTo(1);
    assertThat(status.get("timestamp").asText()).endsWith("Z");
    assertThat(status.get("throughput").get("lastHour").get("pushed").asLong()).isGreaterThanOrEqualTo(4);
    assertThat(status.get("throughput").has("currentMinute")).isTrue();
    assertThat(status.get("lag").get("consumerGroups").asInt()).isEqualTo(1);
    assertThat(queues).extracting(q -> q.get("name").asText()).containsExactly("overview-a", "overview-b");
    JsonNode a = queues.get(0);
    assertThat(a.get("partitions").asInt()).isEqualTo(2);
    assertThat(a.get("deadLetters").asInt()).isEqualTo(1);
    assertThat(a.get("throughput").get("lastHour").get("pushed").asInt()).isEqualTo(3);
    assertThat(a.get("throughput").get("lastHour").get("deadLettered").asInt()).isEqualTo(1);
    assertThat(a.get("lag").get("consumerGroups").asInt()).isEqualTo(1);
    assertThat(queues.get(1).get("lag").get("consumerGroups").asInt()).isZero();
    assertThat(one.get("name").asText()).isEqualTo("overview-a");
    assertThat(one.get("partitions").asInt()).isEqualTo(2);
    assertThat(one.get("throughput").get("totals").get("pushed").asInt()).isEqualTo(3);
    assertThat(one.get("lag")).hasSize(1);
    assertThat(server.get("/api/v1/status/queues/nope").body().get("error").asText()).isEqualTo("Queue not found");
  }

  @Test
  void queueMessagesArePagedLikeTheMessageList() {
    client.push("browse-q", "p1", "m1", "m2", "m3");
    client.push("other-q", "p1", "o1");

    JsonNode page = server.get("/api/v1/status/queues/browse-q/messages?limit=2").body();
    JsonNode rest = server.get("/api/v1/status/queues/browse-q/messages?limit=2&offset=2").body();

    assertThat(Api.ids(page)).containsExactly("m3", "m2");
    assertThat(page.get("pagination").get("hasMore").asBoolean()).isTrue();
    assertThat(Api.ids(rest)).containsExactly("m1");
    assertThat(server.get("/api/v1/status/queues/browse-q/messages?queue=other-q").body().get("messages"))
        .allSatisfy(m -> assertThat(m.get("queue").asText()).isEqualTo("browse-q"));
  }

  @Test
  void hourBucketsAndExplicitWindows() {
    client.push("hourly-q", "p1", "h1");
    Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    String window = "from=" + Api.encode(to.minus(3, ChronoUnit.HOURS).toString()) + "&to=" + Api.encode(to.toString());

    JsonNode analytics = server.get("/api/v1/status/analytics?interval=hour&queue=hourly-q&" + window).body();

    JsonNode series = analytics.get("throughput").get("series");
    assertThat(series).hasSize(3);
    assertThat(series.get(2).get("pushed").asInt()).isEqualTo(1);
    assertThat(analytics.get("throughput").get("interval").asText()).isEqualTo("hour");
  }

  @Test
  void badWindowsAre400() {
    assertBad("/api/v1/status/analytics?interval=day", "interval");
    assertBad("/api/v1/status/analytics?from=soon", "from");
    assertBad("/api/v1/status/analytics?from=2024-01-02T00:00:00Z&to=2024-01-01T00:00:00Z", "from");
    assertBad("/api/v1/status/analytics?from=2024-01-01T00:00:00Z&to=2024-01-03T00:00:00Z", "24 hours");
    assertBad("/api/v1/status/analytics?interval=hour&from=2024-01-01T00:00:00Z&to=2024-03-01T00:00:00Z", "hours");
    assertBad("/api/v1/status/queues/q?to=later", "to");
    assertBad("/api/v1/status/queues/q/messages?limit=5000", "limit");
  }

  @Test
  void jsonMetricsSnapshotTheSameCountersAsPrometheus() {
    JsonNode before = server.get("/metrics").body();
    client.push("metrics-q", "p1", "a", "b", "c");

    Reply reply = server.get("/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("timestamp").asText()).endsWith("Z");
    assertThat(counter(reply.body(), "queen.cluster.push.messages") - counter(before, "queen.cluster.push.messages"))
        .isEqualTo(3.0);
    JsonNode meter = find(reply.body(), "queen.cluster.push.messages");
    assertThat(meter.get("type").asText()).isEqualTo("counter");
    assertThat(meter.get("tags").isObject()).isTrue();
    assertThat(server.get("/metrics/prometheus").body().asText()).contains("queen_cluster_push_messages_total");
  }

  private int pushed(String queue, String window) {
    return server.get("/api/v1/status/analytics?queue=" + queue + window).body().get("throughput").get("totals")
        .get("pushed").asInt();
  }

  private static double counter(JsonNode metrics, String name) {
    return find(metrics, name).get("values").get("count").asDouble();
  }

  private static JsonNode find(JsonNode metrics, String name) {
    for (JsonNode meter : metrics.get("meters")) {
      if (meter.get("name").asText().equals(name)) {
        return meter;
      }
    }
    throw new AssertionError("no meter " + name + " in " + metrics);
  }


  private void assertBad(String path, String mentioning) {
    Api.assertBadRequest(server.get(path), mentioning);
  }
}
