package dev.queenj.core.pop;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Sharing a group's candidates among concurrent pops, with searches whose answers the test controls. */
class PopsInFlightTest {
  private static final UUID QUEUE = UUID.randomUUID();
  private static final String GROUP = "workers";

  private final PopsInFlight inFlight = new PopsInFlight();
  private final List<Integer> limits = new ArrayList<>();
  private final List<List<UUID>> excluded = new ArrayList<>();
  private final List<Promise<Map<UUID, String>>> searches = new ArrayList<>();

  private Future<Map<UUID, String>> search(int limit, UUID[] reserved) {
    limits.add(limit);
    excluded.add(List.of(reserved));
    Promise<Map<UUID, String>> promise = Promise.promise();
    searches.add(promise);
    return promise.future();
  }

  private Future<PopsInFlight.Share> pop(int wanted) {
    return inFlight.candidates(QUEUE, GROUP, wanted, this::search);
  }

  private static Map<UUID, String> partitions(int n) {
    Map<UUID, String> found = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      found.put(UUID.randomUUID(), "p" + i);
    }
    return found;
  }

  private static List<String> names(Future<PopsInFlight.Share> share) {
    return List.copyOf(share.result().partitions().values());
  }

  @Test
  void popsArrivingDuringASearchShareTheNextOneAndGetDisjointDealtShares() {
    Future<PopsInFlight.Share> first = pop(3);
    Future<PopsInFlight.Share> second = pop(3);
    Future<PopsInFlight.Share> third = pop(3);
    assertThat(limits).containsExactly(3);

    searches.get(0).complete(partitions(3));
    assertThat(names(first)).containsExactly("p0", "p1", "p2");
    assertThat(limits).as("one search for the two pops that waited").containsExactly(3, 6);

    searches.get(1).complete(partitions(4));
    assertThat(names(second)).containsExactly("p0", "p2");
    assertThat(names(third)).containsExactly("p1", "p3");
    assertThat(searches).hasSize(2);
  }

  @Test
  void aShareIsReservedUntilReleasedAndNoPopGetsMoreThanItWants() {
    Future<PopsInFlight.Share> first = pop(2);
    Map<UUID, String> found = partitions(2);
    searches.get(0).complete(found);
    assertThat(first.result().partitions()).isEqualTo(found);

    Future<PopsInFlight.Share> second = pop(1);
    assertThat(excluded.get(1)).containsExactlyInAnyOrderElementsOf(found.keySet());
    searches.get(1).complete(partitions(3));
    assertThat(names(second)).containsExactly("p0");

    inFlight.release(QUEUE, GROUP, found.keySet());
    inFlight.release(QUEUE, GROUP, second.result().partitions().keySet());
    pop(1);
    assertThat(excluded.get(2)).isEmpty();
  }

  @Test
  void anEmptySearchTellsEveryPopAndOnlyThenDoesItSaySo() {
    Future<PopsInFlight.Share> first = pop(1);
    Future<PopsInFlight.Share> second = pop(1);
    Future<PopsInFlight.Share> third = pop(1);
    searches.get(0).complete(Map.of());
    assertThat(first.result().searchFoundNone()).isTrue();

    searches.get(1).complete(partitions(1));
    assertThat(names(second)).containsExactly("p0");
    assertThat(third.result().partitions()).isEmpty();
    assertThat(third.result().searchFoundNone()).as("the search found one, another pop got it").isFalse();
  }

  @Test
  void aFailedSearchFailsEveryPopWaitingOnItAndTheNextSearchStillRuns() {
    Future<PopsInFlight.Share> first = pop(1);
    Future<PopsInFlight.Share> second = pop(1);
    Future<PopsInFlight.Share> third = pop(1);
    searches.get(0).fail(new IllegalStateException("connection lost"));
    assertThat(first.failed()).isTrue();

    searches.get(1).fail(new IllegalStateException("connection lost"));
    assertThat(second.failed()).isTrue();
    assertThat(third.failed()).isTrue();

    Future<PopsInFlight.Share> later = pop(1);
    searches.get(2).complete(partitions(1));
    assertThat(names(later)).containsExactly("p0");
  }
}
