package dev.queenj.core.pop;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Coalescing of a group's discoveries, with discoveries whose completion the test controls. */
class DiscoveriesTest {
  private final Discoveries discoveries = new Discoveries();
  private final UUID queue = UUID.randomUUID();
  private final AtomicInteger started = new AtomicInteger();

  private Future<Boolean> covering(long appends, boolean always, Future<Boolean> discovery) {
    return discoveries.covering(queue, "g", appends, always, () -> {
      started.incrementAndGet();
      return discovery;
    });
  }

  @Test
  void popsShareARunningDiscoveryAndSkipOneWhenNothingWasAppendedSince() {
    Promise<Boolean> first = Promise.promise();
    Future<Boolean> a = covering(1, false, first.future());
    Future<Boolean> b = covering(1, false, Future.succeededFuture(true));
    assertThat(b).isSameAs(a);
    first.complete(false);

    assertThat(covering(1, false, Future.succeededFuture(true))).isNull();
    assertThat(covering(1, true, Future.succeededFuture(true)).result()).isTrue();
    assertThat(started).hasValue(2);
  }

  @Test
  void aPopWaitingForAnOlderDiscoveryIsAnsweredEvenWhenAnotherOneCoveredItMeanwhile() {
    // given a discovery begun before the latest append, and two pops waiting for it
    Promise<Boolean> older = Promise.promise();
    covering(1, false, older.future());
    Future<Boolean> first = covering(2, false, Future.succeededFuture(false));
    Future<Boolean> second = covering(2, false, Future.succeededFuture(false));

    // when it ends: the first waiting pop starts one covering the latest append, which ends at once
    older.complete(true);

    // then the second, finding the latest append covered already, still gets an answer
    assertThat(first.succeeded()).isTrue();
    assertThat(second.succeeded()).isTrue();
    assertThat(started).hasValue(2);
  }
}
