package dev.queenj.client;

import static dev.queenj.client.FaultyProxy.times;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.client.FaultyProxy.Answer;
import dev.queenj.client.FaultyProxy.Drop;
import dev.queenj.client.FaultyProxy.LoseAnswer;
import dev.queenj.http.auth.JwtConfig;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retries of the transport (spec §2, as Queen's SDKs): a local proxy on 127.0.0.1 fails requests as scripted in
 * front of a real broker, and counts how many requests the client sent.
 */
class RetryTest {
  private static TestBroker broker;
  private static QueenClient direct;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(JwtConfig.DISABLED);
    direct = QueenClient.builder(broker.url()).requestTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    direct.close();
    broker.close();
  }

  @Test
  void twoServiceUnavailableAnswersAreRetriedThenThePushIsStoredOnce() {
    String queue = queue();
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), times(2, new Answer(503)));
        QueenClient client = through(proxy, Duration.ofSeconds(10))) {
      PushResult pushed = client.blocking().push(PushItem.of(queue, "once"));
      assertThat(pushed.status()).isEqualTo(PushStatus.QUEUED);
      assertThat(proxy.requests()).as("two 503s, then the proxied push").isEqualTo(3);
    }
    assertThat(storedTexts(queue)).containsExactly("once");
  }

  @Test
  void aPushWhoseAnswerWasLostIsRetriedAndDeduplicatedByItsClientMadeTransactionId() {
    String queue = queue();
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), new LoseAnswer(502));
        QueenClient client = through(proxy, Duration.ofSeconds(10))) {
      PushResult pushed = client.blocking().push(PushItem.of(queue, "applied once"));
      assertThat(pushed.status()).as("the replay found the first push stored").isEqualTo(PushStatus.DUPLICATE);
      assertThat(proxy.requests()).isEqualTo(2);
    }
    assertThat(storedTexts(queue)).containsExactly("applied once");
  }

  @Test
  void retriesAreThreeAtMostThenTheLastErrorIsThrown() {
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), times(10, new Answer(500)));
        QueenClient client = through(proxy, Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> client.blocking().configure(queue(), QueueOptions.builder().build()))
          .isInstanceOfSatisfying(QueenException.ServerError.class, e -> assertThat(e.status()).isEqualTo(500));
      assertThat(proxy.requests()).as("the call and 3 retries").isEqualTo(4);
    }
  }

  @Test
  void timeoutsAndThrottlingAreRetriedOtherClientErrorsAreNot() {
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), new Answer(408), new Answer(429));
        QueenClient client = through(proxy, Duration.ofSeconds(10))) {
      client.blocking().configure(queue(), QueueOptions.builder().build());
      assertThat(proxy.requests()).isEqualTo(3);
    }
    for (int status : new int[] {400, 401, 403, 404, 409, 413}) {
      try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), new Answer(status));
          QueenClient client = through(proxy, Duration.ofSeconds(10))) {
        assertThatThrownBy(() -> client.blocking().configure(queue(), QueueOptions.builder().build()))
            .isInstanceOfSatisfying(QueenException.class, e -> assertThat(e.status()).isEqualTo(status));
        assertThat(proxy.requests()).as("no retry of a %d", status).isEqualTo(1);
      }
    }
  }

  @Test
  void aDroppedConnectionIsRetriedOnlyWhenAReplayIsHarmless() {
    String queue = queue();
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), new Drop(), new Drop());
        QueenClient client = through(proxy, Duration.ofSeconds(10))) {
      client.blocking().push(PushItem.of(queue, "after two drops"));
      assertThat(proxy.requests()).isEqualTo(3);
    }
    assertThat(storedTexts(queue)).containsExactly("after two drops");
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), new Drop());
        QueenClient client = through(proxy, Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> client.blocking().call("POST", "/api/v1/push", Json.object(), Retry.IF_NOT_APPLIED))
          .isInstanceOf(QueenException.Unavailable.class);
      assertThat(proxy.requests()).as("the outcome of a dropped call is unknown: no replay").isEqualTo(1);
    }
  }

  @Test
  void aCallThatIsNotSafeToReplayIsRetriedOnlyOnAnswersMeaningNotApplied() {
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), new Answer(500));
        QueenClient client = through(proxy, Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> client.blocking().call("POST", "/api/v1/configure", Json.object()))
          .isInstanceOf(QueenException.ServerError.class);
      assertThat(proxy.requests()).isEqualTo(1);
    }
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), new Answer(503), new Answer(429));
        QueenClient client = through(proxy, Duration.ofSeconds(10))) {
      assertThat(client.blocking().call("POST", "/api/v1/configure", Json.object().put("queue", queue()))
          .path("configured").asBoolean()).isTrue();
      assertThat(proxy.requests()).isEqualTo(3);
    }
  }

  @Test
  void retriesStayInsideTheCallsDeadline() {
    Duration deadline = Duration.ofMillis(300);
    try (FaultyProxy proxy = FaultyProxy.inFrontOf(broker.url(), times(10, new Answer(503)));
        QueenClient client = through(proxy, deadline)) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.blocking().configure(queue(), QueueOptions.builder().build()))
          .isInstanceOf(QueenException.ServerError.class);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      // backoffs of at least 50 + 100 + 200 ms do not fit in 300 ms: the third retry is never started
      assertThat(proxy.requests()).isBetween(2, 3);
      assertThat(took).isLessThan(deadline.plusMillis(500));
    }
  }

  @Test
  void backoffDoublesFrom100MsUpTo5sWithJitter() {
    for (int i = 0; i < 50; i++) {
      assertThat(Transport.backoff(0).toMillis()).isBetween(50L, 100L);
      assertThat(Transport.backoff(2).toMillis()).isBetween(200L, 400L);
      assertThat(Transport.backoff(9).toMillis()).isBetween(2_500L, 5_000L);
    }
  }

  private static QueenClient through(FaultyProxy proxy, Duration requestTimeout) {
    return QueenClient.builder(proxy.url()).requestTimeout(requestTimeout).build();
  }

  private static List<String> storedTexts(String queue) {
    return direct.blocking().pop(PopRequest.from(queue).batch(10).autoAck(true)).messages().stream()
        .map(m -> m.data().asText()).toList();
  }

  private static String queue() {
    return "retry-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
