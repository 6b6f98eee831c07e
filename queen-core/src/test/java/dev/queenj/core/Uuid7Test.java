package dev.queenj.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class Uuid7Test {
  @Test
  void idsMadeOneAfterAnotherStrictlyIncreaseAsTextAndBytes() {
    UUID previous = Uuid7.next();
    for (int i = 0; i < 20_000; i++) {
      UUID next = Uuid7.next();
      assertThat(next.version()).isEqualTo(7);
      assertThat(next.variant()).isEqualTo(2);
      assertThat(next.toString()).as("after %s", previous).isGreaterThan(previous.toString());
      previous = next;
    }
  }
}
