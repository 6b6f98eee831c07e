package dev.queenj.core.queue;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueueCatalogTest {
  static Vertx vertx;
  static Database database;
  QueenCore core;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    database = TestPostgres.database(vertx, 2);
  }

  @AfterAll
  static void stop() {
    await(database.close());
    await(vertx.close());
  }

  /** A fresh core each time: its queue cache must not remember the previous test's queues. */
  @BeforeEach
  void clean() {
    TestPostgres.reset(database);
    core = new QueenCore(database, 8);
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
    await(database.pool().query("DELETE FROM queues WHERE name = 'orders'").execute());

    assertThat(await(core.queues().named(List.of("orders")))).isEmpty();
    Queue created = await(core.queues().ensure("orders"));

    assertThat(created.id()).isNotEqualTo(cached.id());
    assertThat(await(core.queues().find("orders"))).contains(created);
  }

  @Test
  void theClusterIdIsOnePerDatabaseAndSurvivesEmptiedTables() {
    UUID id = await(core.cluster().id());
    TestPostgres.reset(database);
    assertThat(await(new QueenCore(database, 8).cluster().id())).isEqualTo(id);
  }
}
