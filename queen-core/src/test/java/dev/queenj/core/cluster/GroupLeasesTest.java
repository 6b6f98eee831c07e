package dev.queenj.core.cluster;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Group leases between two instances on one real Postgres: who takes a group, fencing by time, takeover. */
class GroupLeasesTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(4);
  /** heartbeat 100 ms, expiry 1 s: the owner stops acting 200 ms before its lease expires. */
  private static final ClusterSettings SETTINGS = new ClusterSettings("test", "", 100, 1_000);

  @Test
  void theFirstInstanceAskedTakesTheGroupAndTheOthersAreToldItsOwner() {
    GroupLeases a = new GroupLeases(db.database(), SETTINGS);
    GroupLeases b = new GroupLeases(db.database(), SETTINGS);

    assertThat(await(a.owner("billing", "a"))).isEqualTo(new GroupLeases.Owner("a", true));
    assertThat(await(b.owner("billing", "b"))).isEqualTo(new GroupLeases.Owner("a", false));
    assertThat(await(a.owner("billing", "a"))).as("asking again renews what a holds")
        .isEqualTo(new GroupLeases.Owner("a", false));

    assertThat(a.holds("billing")).isTrue();
    assertThat(b.holds("billing")).isFalse();
    assertThat(a.held()).containsExactly("billing");
    assertThat(b.held()).isEmpty();
  }

  @Test
  void anOwnerThatCannotRenewStopsActingBeforeAnotherInstanceMayTakeTheGroup() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    GroupLeases a = new GroupLeases(db.database(), SETTINGS, now::get);
    GroupLeases b = new GroupLeases(db.database(), SETTINGS);
    assertThat(await(a.owner("billing", "a")).owner()).isEqualTo("a");

    // 801 ms later by a's clock, without a renewal: past expiry − margin, so a no longer acts for the group ...
    now.addAndGet(801_000_000L);
    assertThat(a.holds("billing")).isFalse();
    // ... while Postgres still says a holds it (its 1 s lease has not run out): nobody else can act for it either
    assertThat(await(b.owner("billing", "b")).owner()).isEqualTo("a");
    // and a's renewal reports the group lost rather than silently acting again
    assertThat(await(a.renew(List.of("billing"), "a"))).containsExactly("billing");
  }

  @Test
  void anExpiredLeaseIsTakenOverAndItsOldOwnerLearnsItLostTheGroup() {
    ClusterSettings quick = new ClusterSettings("test", "", 100, 300);
    GroupLeases a = new GroupLeases(db.database(), quick);
    GroupLeases b = new GroupLeases(db.database(), quick);
    assertThat(await(a.owner("billing", "a")).owner()).isEqualTo("a");

    Eventually.until(Duration.ofSeconds(5), () -> "b".equals(await(b.owner("billing", "b")).owner()),
        () -> "b never took the expired lease");
    assertThat(b.holds("billing")).isTrue();
    assertThat(await(a.renew(List.of("billing"), "a"))).containsExactly("billing");
    assertThat(a.holds("billing")).isFalse();
  }

  @Test
  void renewalKeepsTheGroupsInUseAndAReleaseLetsAnotherInstanceTakeAGroupAtOnce() {
    GroupLeases a = new GroupLeases(db.database(), SETTINGS);
    GroupLeases b = new GroupLeases(db.database(), SETTINGS);
    await(a.owner("billing", "a"));
    await(a.owner("shipping", "a"));

    Set<String> lost = await(a.renew(List.of("billing", "shipping"), "a"));
    assertThat(lost).isEmpty();
    assertThat(a.holds("billing")).isTrue();

    await(a.release(List.of("billing"), "a"));
    assertThat(a.holds("billing")).isFalse();
    assertThat(await(b.owner("billing", "b")).owner()).isEqualTo("b");
    assertThat(await(b.owner("shipping", "b")).owner()).isEqualTo("a");
  }
}
