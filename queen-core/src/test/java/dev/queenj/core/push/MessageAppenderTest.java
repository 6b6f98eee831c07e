package dev.queenj.core.push;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.core.QueenCore;
import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.core.storage.Database;
import dev.queenj.core.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessageAppenderTest {
  static Vertx vertx;
  static Database database;
  static QueenCore core;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    database = TestPostgres.database(vertx, 4);
    core = new QueenCore(database, 8);
  }

  @AfterAll
  static void stop() {
    await(database.close());
    await(vertx.close());
  }

  @BeforeEach
  void clean() {
    TestPostgres.reset(database);
  }

  @Test
  void offsetsAreDenseAndDuplicatesKeepTheFirstMessage() {
    byte[] payload = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    List<PushOutcome> first = await(core.push().push(List.of(
        new PushItem("orders", "p1", "t1", null, payload, null),
        new PushItem("orders", "p1", "t2", null, null, null),
        new PushItem("orders", "p1", "t1", null, payload, null))));
    assertThat(first).extracting(PushOutcome::duplicate).containsExactly(false, false, true);
    assertThat(first.get(2).messageId()).isEqualTo(first.get(0).messageId());

    List<PushOutcome> again = await(core.push().push(List.of(new PushItem("orders", "p1", "t2", null, null, null))));
    assertThat(again.get(0).duplicate()).isTrue();
    assertThat(again.get(0).messageId()).isEqualTo(first.get(1).messageId());

    List<Long> offsets = await(database.pool().query("SELECT log_offset FROM messages ORDER BY log_offset").execute()
        .map(rows -> {
          List<Long> list = new java.util.ArrayList<>();
          rows.forEach(row -> list.add(row.getLong(0)));
          return list;
        }));
    assertThat(offsets).containsExactly(0L, 1L);
  }

  @Test
  void kafkaRecordsLandInTheirKeysPartitionOnlyInsideItsHomeLogAndGetTheirOffsets() {
    int home = PartitionPlacement.kafkaPartition("k", 8);
    int elsewhere = (home + 1) % 8;
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    List<PushOutcome> outcomes = await(core.push().push(List.of(
        PushItem.kafka("events", "k", null, new KafkaOrigin(home, key, null, 1L)),
        PushItem.kafka("events", "k", null, new KafkaOrigin(elsewhere, key, null, 2L)),
        PushItem.kafka("events", null, null, new KafkaOrigin(home, null, null, 3L)),
        new PushItem("events", "k", null, null, null, null))));
    UUID queueId = await(core.queues().ensure("events")).id();
    assertThat(outcomes).extracting(PushOutcome::partitionId).containsExactly(
        PartitionPlacement.partitionId(queueId, "k"),
        PartitionPlacement.partitionId(queueId, PartitionPlacement.kafkaFallback(elsewhere)),
        PartitionPlacement.partitionId(queueId, PartitionPlacement.kafkaFallback(home)),
        PartitionPlacement.partitionId(queueId, "k"));
    assertThat(outcomes).extracting(PushOutcome::offset).containsExactly(0L, 0L, 1L, 2L);
  }
}
