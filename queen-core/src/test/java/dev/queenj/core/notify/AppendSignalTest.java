package dev.queenj.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.log.LogAppend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The one funnel of wake-ups: every append path signals here, so what is committed here is forwarded to the other
 * instances from this one place, and what they tell wakes the listeners here without being forwarded back.
 */
class AppendSignalTest {
  private final AppendSignal signal = new AppendSignal();
  private final List<List<String>> forwarded = new ArrayList<>();
  private final List<String> woken = new ArrayList<>();

  AppendSignalTest() {
    signal.forwardTo(queues -> forwarded.add(List.copyOf(queues)));
    signal.listen("a", known -> woken.add("a"));
    signal.listen("b", known -> woken.add("b"));
  }

  @Test
  void appendsCommittedHereWakeTheirListenersAndAreForwarded() {
    signal.appended(List.of("a"));
    signal.appended(List.of("b"), () -> List.of(new LogAppend("b", 0, 1, List.of())));
    // and a queue nobody listens to here: forwarded all the same, others may listen
    signal.appended(List.of("c"), () -> List.of(new LogAppend("c", 0, 1, List.of())));

    assertThat(woken).containsExactly("a", "b");
    assertThat(forwarded).containsExactly(List.of("a"), List.of("b"), List.of("c"));
  }

  @Test
  void appendsElsewhereWakeTheirListenersAndCountAsNewsButAreNotForwarded() {
    long before = signal.appends("a");

    signal.appendedElsewhere(List.of("a", "x"));

    assertThat(woken).containsExactly("a");
    assertThat(signal.appends("a")).isEqualTo(before + 1);
    assertThat(forwarded).isEmpty();
  }

  @Test
  void somethingChangedWakesEveryListenerOnceAndForwardsNothing() {
    signal.appended(List.of("counted-only"));
    forwarded.clear();
    woken.clear();
    long counted = signal.appends("counted-only");

    signal.somethingChanged();

    assertThat(woken).containsExactlyInAnyOrder("a", "b");
    // a pop's discovery of any queue seen before runs again
    assertThat(signal.appends("counted-only")).isEqualTo(counted + 1);
    assertThat(forwarded).isEmpty();
  }

  @Test
  void aFailingForwarderNeverFailsTheAppendNorKeepsTheListenersWaiting() {
    signal.forwardTo(queues -> {
      throw new IllegalStateException("database gone");
    });

    signal.appended(List.of("a"));

    assertThat(woken).containsExactly("a");
  }
}
