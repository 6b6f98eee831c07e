package dev.queenj.core.group;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.UUID;

/**
 * Committed offsets of Kafka consumer groups (table {@code kafka_group_offsets}), per (group, queue, Kafka
 * partition). For now only what Kafka's OffsetDelete needs; committing and reading them still live in kafka-wire.
 */
public final class KafkaGroupOffsets {
  private static final String DELETE_PARTITIONS = Sql.load(KafkaGroupOffsets.class,
      "kafka_group_offsets_delete_partitions.sql");

  private final Database database;

  public KafkaGroupOffsets(Database database) {
    this.database = database;
  }

  /**
   * Forgets {@code groupId}'s offsets of the partitions given pairwise ({@code queues[i]}, {@code partitions[i]}) in
   * one statement; answers how many it had.
   */
  public Future<Integer> delete(String groupId, List<UUID> queues, List<Integer> partitions) {
    if (queues.size() != partitions.size()) {
      throw new IllegalArgumentException("one Kafka partition per queue, got " + queues.size() + " queues and "
          + partitions.size() + " partitions");
    }
    Tuple params = Tuple.tuple().addValue(groupId).addValue(queues.toArray(new UUID[0]))
        .addValue(partitions.toArray(new Integer[0]));
    return database.pool().preparedQuery(DELETE_PARTITIONS).execute(params).map(rows -> rows.rowCount());
  }
}
