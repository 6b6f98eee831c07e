package dev.queenj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The query a pop sends: names encoded as path segments, only what differs from the server's defaults. */
class PopRequestTest {
  @Test
  void aPlainPopSendsOnlyTheBatch() {
    assertThat(PopRequest.from("orders").path()).isEqualTo("/api/v1/pop/queue/orders?batch=1");
  }

  @Test
  void everyOptionIsInTheQueryAndNamesAreEncoded() {
    PopRequest pop = PopRequest.from("a b/c").batch(5).waitFor(Duration.ofMillis(1500)).group("g&1").autoAck(true)
        .subscriptionMode("new").subscriptionFrom(Instant.parse("2026-01-02T03:04:05Z")).partitions(3);
    assertThat(pop.path()).isEqualTo("/api/v1/pop/queue/a%20b%2Fc?batch=5&wait=true&timeout=1500"
        + "&consumerGroup=g%261&autoAck=true&subscriptionMode=new&subscriptionFrom=2026-01-02T03%3A04%3A05Z"
        + "&partitions=3");
    assertThat(PopRequest.from("q").partition("p 1").path()).isEqualTo("/api/v1/pop/queue/q/partition/p%201?batch=1");
  }

  @Test
  void nonsenseIsRefusedBeforeItIsSent() {
    assertThatThrownBy(() -> PopRequest.from("q").batch(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PopRequest.from("q").waitFor(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PopRequest.from("q").partition("p").partitions(2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
