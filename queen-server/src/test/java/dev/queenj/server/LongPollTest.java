package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.server.TestServer.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Long polling: woken by a push at once, empty answer on timeout, pops never create queues. */
@ExtendWith(RunningServer.class)
class LongPollTest {
  private final TestServer server;
  private final Api api;

  LongPollTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @Test
  void aParkedPopIsWokenByAPushWithinMilliseconds() throws Exception {
    api.push("wake", "warmup", "w");
    api.ackAll(api.pop("wake"), "completed");
    for (int round = 0; round < 5; round++) {
      CompletableFuture<Reply> parked = server.getAsync("/api/v1/pop/queue/wake?wait=true&timeout=20000");
      // once parked, the pop listens for appends, so a push cannot slip past it
      Api.eventually(Duration.ofSeconds(5), () -> server.get("/metrics/prometheus").body().asText()
          .contains("queen_http_long_polls_parked 1.0"));
      long pushed = System.nanoTime();
      api.push("wake", "p", "m" + round);
      Reply reply = parked.get(10, TimeUnit.SECONDS);
      long latencyMs = (System.nanoTime() - pushed) / 1_000_000;
      assertThat(Api.ids(reply.body())).containsExactly("m" + round);
      // generous bound: the recheck timer alone would take 1000 ms
      assertThat(latencyMs).as("wake-up latency").isLessThan(500);
      api.ackAll(reply.body(), "completed");
    }
  }

  @Test
  void aLongPollThatTimesOutAnswersTheEmptyShape() {
    long started = System.nanoTime();
    Reply reply = server.get("/api/v1/pop/queue/nothing?wait=true&timeout=300&consumerGroup=g");
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(elapsedMs).isBetween(250L, 5000L);
    JsonNode body = reply.body();
    assertThat(reply.status()).isEqualTo(200);
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("queue").asText()).isEqualTo("nothing");
    assertThat(body.get("partition").asText()).isEmpty();
    assertThat(body.get("partitionId").isNull()).isTrue();
    assertThat(body.get("leaseId").isNull()).isTrue();
    assertThat(body.get("consumerGroup").asText()).isEqualTo("g");
    assertThat(body.get("messages")).isEmpty();
    // the pop did not create the queue
    assertThat(api.pop("nothing/partition/Default").get("error").asText()).isEqualTo("partition_not_found");
  }
}
