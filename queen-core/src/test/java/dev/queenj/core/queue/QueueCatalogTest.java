package dev.queenj.core.queue;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.testing.Eventually;
import dev.queenj.core.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueCatalogTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase(2);
  QueenCore core;

  /** A fresh core each time: its queue cache must not remember the previous test's queues. */
  @BeforeEach
  void clean() {
    core = new QueenCore(db.database(), 8);
  }

  @Test
  void lookupsByNameAndTopicIdAnswerOnlyQueuesThatExist() {
    Queue orders = await(core.queues().ensure("orders"));
    Queue invoices = await(core.queues().ensure("invoices"));

    assertThat(await(core.queues().named(List.of("orders", "ghost", "invoices"))))
        .extracting(Queue::name).containsExactly("invoices", "orders");
    assertThat(await(core.queues().withTopicIds(List.of(orders.topicId(), UUID.randomUUID()))))
        .containsExactly(orders);
    assertThat(invoices.topicId()).isNotEqualTo(orders.topicId());
  }

  @Test
  void aTopicIdIsStableForTheQueuesLifeAndNewWhenTheQueueIsCreatedAgain() {
    UUID first = await(core.queues().ensure("orders")).topicId();
    assertThat(await(core.queues().find("orders")).orElseThrow().topicId()).isEqualTo(first);
    assertThat(await(core.queues().all())).extracting(Queue::topicId).containsExactly(first);

    await(core.queues().delete("orders"));
    UUID second = await(core.queues().ensure("orders")).topicId();

    assertThat(second).isNotEqualTo(first);
    // the first hex digit is 0, so the base64 form Kafka tools show never starts with '-'
    assertThat(second.getMostSignificantBits() >>> 60).isZero();
  }

  @Test
  void aQueueDeletedBehindTheCacheIsCreatedAgainAfterANameLookupMissedIt() {
    Queue cached = await(core.queues().ensure("orders"));
    await(db.database().pool().query("DELETE FROM queues WHERE name = 'orders'").execute());

    assertThat(await(core.queues().named(List.of("orders")))).isEmpty();
    Queue created = await(core.queues().ensure("orders"));

    assertThat(created.id()).isNotEqualTo(cached.id());
    assertThat(await(core.queues().find("orders"))).contains(created);
  }

  @Test
  void aRecentQueueIsServedWithoutReadingUntilItIsOldOrChangedHere() {
    await(core.queues().ensure("orders"));
    assertThat(await(core.queues().recent("orders")).orElseThrow().options().leaseTime())
        .isEqualTo(QueueOptions.DEFAULTS.leaseTime());

    // another instance changes the queue: this one keeps its recent copy for a while
    await(db.database().pool().query("UPDATE queues SET lease_time = 7 WHERE name = 'orders'").execute());
    assertThat(await(core.queues().recent("orders")).orElseThrow().options().leaseTime())
        .isEqualTo(QueueOptions.DEFAULTS.leaseTime());
    assertThat(await(core.queues().find("orders")).orElseThrow().options().leaseTime()).isEqualTo(7);

    // a change made here is seen at once
    QueueOptions longer = new QueueOptions(90, 3, 1000, 0, 3600, false, false, 0, 0, 0, 0, 0, false, false, 0);
    await(core.queues().configure("orders", "", "", longer));
    assertThat(await(core.queues().recent("orders")).orElseThrow().options().leaseTime()).isEqualTo(90);

    await(core.queues().delete("orders"));
    assertThat(await(core.queues().recent("orders"))).isEmpty();
  }

  @Test
  void aRecentQueueIsReadAgainOnceItIsOlderThanRecent() {
    await(core.queues().ensure("orders"));
    await(core.queues().recent("orders"));
    await(db.database().pool().query("UPDATE queues SET lease_time = 7 WHERE name = 'orders'").execute());

    Eventually.until(QueueCatalog.RECENT.multipliedBy(5),
        () -> await(core.queues().recent("orders")).orElseThrow().options().leaseTime() == 7,
        () -> "recent still answers the copy read before the change");
  }

  @Test
  void theClusterIdIsOnePerDatabaseAndSurvivesEmptiedTables() {
    UUID id = await(core.cluster().id());
    assertThat(await(new QueenCore(db.database(), 8).cluster().id())).isEqualTo(id);
  }
}
