package dev.queenj.core.notify;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import dev.queenj.core.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one database, each with its own pools and its own LISTEN connection: an append committed on one
 * wakes the waiters of its queue on the other; an instance ignores its own notifications; too many queues for one
 * payload wake everyone; a lost LISTEN connection comes back and wakes everyone once.
 */
class AppendNotificationsTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(2);

  private final List<Database> databases = new ArrayList<>();
  private QueenCore a;
  private QueenCore b;

  @BeforeEach
  void twoInstances() {
    a = instance();
    b = instance();
    until(() -> a.appendNotifications().listening() && b.appendNotifications().listening());
  }

  @AfterEach
  void stop() {
    for (QueenCore core : List.of(a, b)) {
      await(core.appendNotifications().stop());
    }
    databases.forEach(database -> await(database.close()));
  }

  private QueenCore instance() {
    Database database = TestPostgres.database(db.vertx(), 2);
    databases.add(database);
    QueenCore core = new QueenCore(database, 4);
    await(core.appendNotifications().start(db.vertx()));
    return core;
  }

  @Test
  void anAppendOnOneInstanceWakesTheQueuesWaitersOnTheOther() {
    List<String> wokenOnB = new CopyOnWriteArrayList<>();
    b.appendSignal().listen("orders", known -> wokenOnB.add("orders"));
    b.appendSignal().listen("other", known -> wokenOnB.add("other"));
    long before = b.appendSignal().appends("orders");

    await(a.push().push(List.of(new PushItem("orders", "p", "t1", null, null, null))));

    until(() -> wokenOnB.contains("orders"));
    assertThat(wokenOnB).containsOnly("orders");
    // counted as news, so B's next pop discovers what A appended
    assertThat(b.appendSignal().appends("orders")).isGreaterThan(before);
  }

  @Test
  void anInstanceIgnoresItsOwnNotifications() {
    AtomicInteger wokenOnA = new AtomicInteger();
    a.appendSignal().listen("orders", known -> wokenOnA.incrementAndGet());
    AtomicInteger wokenOnB = new AtomicInteger();
    b.appendSignal().listen("orders", known -> wokenOnB.incrementAndGet());
    long sentBefore = a.appendNotifications().sent();

    await(a.push().push(List.of(new PushItem("orders", "p", "t1", null, null, null))));

    until(() -> wokenOnB.get() == 1 && a.appendNotifications().sent() > sentBefore);
    // B's notification of the same append went out and came back to A too; a round trip later A still counts one
    await(b.push().push(List.of(new PushItem("marker", "p", "m", null, null, null))));
    until(() -> a.appendNotifications().received() >= 1);
    assertThat(wokenOnA.get()).isEqualTo(1);
  }

  @Test
  void anInstanceWithNoOtherLiveSendsNothingUntilOneIs() {
    AtomicInteger wokenOnB = new AtomicInteger();
    b.appendSignal().listen("orders", known -> wokenOnB.incrementAndGet());
    AtomicInteger wokenOnA = new AtomicInteger();
    a.appendSignal().listen("marker", known -> wokenOnA.incrementAndGet());
    boolean[] othersLive = {false};
    a.appendNotifications().sendOnlyWhile(() -> othersLive[0]);
    a.appendNotifications().heardRecentlyFor(0); // B's announcement at start would keep A notifying otherwise
    long sentBefore = a.appendNotifications().sent();

    await(a.push().push(List.of(new PushItem("orders", "p", "t1", null, null, null))));
    // B's own notification reaching A orders this check after anything A could have sent for its append
    await(b.push().push(List.of(new PushItem("marker", "p", "m", null, null, null))));
    until(() -> wokenOnA.get() == 1);
    assertThat(a.appendNotifications().sent()).as("sent while alone").isEqualTo(sentBefore);
    assertThat(wokenOnB.get()).isZero();

    othersLive[0] = true;
    await(a.push().push(List.of(new PushItem("orders", "p", "t2", null, null, null))));
    until(() -> wokenOnB.get() == 1);
  }

  @Test
  void anInstanceAloneInTheRegistryStillNotifiesOneThatAnnouncedItselfSince() {
    AtomicInteger wokenOnB = new AtomicInteger();
    b.appendSignal().listen("orders", known -> wokenOnB.incrementAndGet());
    // A's registry view has not caught up with B yet, but A heard B announce itself when it started listening
    a.appendNotifications().sendOnlyWhile(() -> false);

    await(a.push().push(List.of(new PushItem("orders", "p", "t1", null, null, null))));

    until(() -> wokenOnB.get() == 1);
  }

  @Test
  void appendsCoalescedIntoOneNotificationWakeTheWaitersOfEveryQueueTheyTouched() {
    Set<String> wokenOnB = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 30; i++) {
      String queue = "q" + i;
      b.appendSignal().listen(queue, known -> wokenOnB.add(queue));
    }
    long sentBefore = a.appendNotifications().sent();

    // one push after another, each committed on its own, faster than notifications may leave
    for (int i = 0; i < 30; i++) {
      await(a.push().push(List.of(new PushItem("q" + i, "p", "t", null, null, null))));
    }

    until(() -> wokenOnB.size() == 30);
    System.out.printf("30 appends one after another: %d notifications%n", a.appendNotifications().sent() - sentBefore);
  }

  @Test
  void moreQueuesThanOnePayloadHoldsWakeEveryWaiter() {
    AtomicInteger woken = new AtomicInteger();
    b.appendSignal().listen("unrelated", known -> woken.incrementAndGet());
    List<PushItem> items = new ArrayList<>();
    // 400 names of 30 bytes: well past the 8000 bytes a notification may carry
    for (int i = 0; i < 400; i++) {
      items.add(new PushItem(String.format("queue-with-a-long-name-%07d", i), "p", "t" + i, null, null, null));
    }

    await(a.push().push(items));

    until(() -> woken.get() >= 1);
  }

  @Test
  void aLostListenConnectionReconnectsAndWakesEveryWaiterOnce() {
    AtomicInteger woken = new AtomicInteger();
    b.appendSignal().listen("orders", known -> woken.incrementAndGet());
    long subscribed = b.appendNotifications().subscriptions();

    // what a Postgres restart or a network cut does to the LISTEN connections (both instances')
    await(db.database().pool().query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        + "WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()").execute());

    until(() -> b.appendNotifications().subscriptions() > subscribed && b.appendNotifications().listening());
    // notifications sent meanwhile were lost: everyone here was woken to read again
    assertThat(woken.get()).isGreaterThanOrEqualTo(1);
    int afterReconnect = woken.get();
    await(a.push().push(List.of(new PushItem("orders", "p", "t1", null, null, null))));
    until(() -> woken.get() > afterReconnect);
  }

  private static void until(BooleanSupplier condition) {
    Eventually.until(Duration.ofSeconds(10), condition, () -> "not yet");
  }
}
