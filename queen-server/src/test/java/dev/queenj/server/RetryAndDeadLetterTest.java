package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.queenj.core.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ack failed / dlq / retry: batch-level retries with retryDelay, then the dead-letter queue. */
@ExtendWith(RunningServer.class)
class RetryAndDeadLetterTest {
  private final TestServer server;
  private final Api api;

  RetryAndDeadLetterTest(TestServer server, Api api) {
    this.server = server;
    this.api = api;
  }

  @Test
  void aMessageIsDeliveredRetryLimitPlusOneTimesThenDeadLetteredAndThePartitionMovesOn() {
    api.configure("jobs", "{\"retryLimit\":2,\"retryDelay\":300}");
    api.push("jobs", "p", "bad", "next");

    for (int delivery = 0; delivery < 3; delivery++) {
      JsonNode[] popped = new JsonNode[1];
      Instant asked = Instant.now();
      Api.eventually(Duration.ofSeconds(5), () -> {
        popped[0] = api.pop("jobs?batch=1");
        return popped[0].get("messages").size() > 0;
      });
      if (delivery > 0) {
        assertThat(Duration.between(asked, Instant.now()))
            .as("retryDelay is honoured before redelivery %d", delivery).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      }
      assertThat(Api.ids(popped[0])).containsExactly("bad");
      assertThat(popped[0].get("messages").get(0).get("retryCount").asInt()).isEqualTo(delivery);
      JsonNode ack = api.ack(popped[0].get("messages"), "failed", null);
      assertThat(ack.get(0).get("success").asBoolean()).isTrue();
      assertThat(ack.get(0).get("dlq").asBoolean()).isEqualTo(delivery == 2);
    }

    JsonNode[] after = new JsonNode[1];
    Api.eventually(Duration.ofSeconds(5), () -> {
      after[0] = api.pop("jobs?batch=1");
      return after[0].get("messages").size() > 0;
    });
    assertThat(Api.ids(after[0])).containsExactly("next");
    assertThat(after[0].get("messages").get(0).get("retryCount").asInt()).isZero();
    assertThat(deadLetters("bad")).isEqualTo(1);
  }

  @Test
  void ackDlqDeadLettersAtOnceAndAckRetryRedeliversAtOnce() {
    api.push("jobs", "p", "m1", "m2");
    JsonNode first = api.pop("jobs?batch=1");
    JsonNode retried = api.ack(first.get("messages"), "retry", null);
    assertThat(retried.get(0).get("success").asBoolean()).isTrue();

    JsonNode again = api.pop("jobs?batch=1");
    assertThat(Api.ids(again)).containsExactly("m1");
    assertThat(again.get("messages").get(0).get("retryCount").asInt()).isZero();
    JsonNode dead = api.ack(again.get("messages"), "dlq", null);
    assertThat(dead.get(0).get("dlq").asBoolean()).isTrue();

    assertThat(Api.ids(api.pop("jobs?batch=1"))).containsExactly("m2");
    assertThat(deadLetters("m1")).isEqualTo(1);
  }

  private static long deadLetters(String transactionId) {
    Vertx vertx = Vertx.vertx();
    try {
      var database = TestPostgres.database(vertx, 1);
      long count = TestPostgres.await(database.pool()
          .preparedQuery("SELECT count(*) FROM dead_letters WHERE transaction_id = $1")
          .execute(io.vertx.sqlclient.Tuple.of(transactionId)).map(rows -> rows.iterator().next().getLong(0)));
      TestPostgres.await(database.close());
      return count;
    } finally {
      TestPostgres.await(vertx.close());
    }
  }
}
