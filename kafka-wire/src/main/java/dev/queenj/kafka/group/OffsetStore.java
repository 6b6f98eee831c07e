package dev.queenj.kafka.group;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Kafka consumer-group offsets in Postgres, per (group, queue, Kafka partition), with their metadata, leader epoch
 * and commit time. Kafka-only state, so its SQL lives here; it runs through the core's {@link Database}.
 */
final class OffsetStore {
  private static final String UPSERT = Sql.load(OffsetStore.class, "group_offsets_upsert.sql");
  private static final String SELECT = Sql.load(OffsetStore.class, "group_offsets_select.sql");
  private static final String GROUPS = Sql.load(OffsetStore.class, "group_offsets_groups.sql");
  private static final String DELETE = Sql.load(OffsetStore.class, "group_offsets_delete.sql");

  private final Database database;

  OffsetStore(Database database) {
    this.database = database;
  }

  /** Stores every offset of one commit at once: a commit is applied whole or not at all. */
  Future<Void> commit(String groupId, List<OffsetCommit> offsets) {
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = offsets.size();
    UUID[] queues = new UUID[n];
    Integer[] partitions = new Integer[n];
    Long[] positions = new Long[n];
    Integer[] epochs = new Integer[n];
    String[] metadata = new String[n];
    for (int i = 0; i < n; i++) {
      OffsetCommit offset = offsets.get(i);
      queues[i] = offset.queueId();
      partitions[i] = offset.partition();
      positions[i] = offset.offset();
      epochs[i] = offset.leaderEpoch();
      metadata[i] = offset.metadata();
    }
    // Tuple.tuple().addValue: Tuple.of with an array argument would spread it as varargs
    Tuple params = Tuple.tuple().addValue(groupId).addValue(queues).addValue(partitions).addValue(positions)
        .addValue(epochs).addValue(metadata);
    return database.pool().preparedQuery(UPSERT).execute(params).mapEmpty();
  }

  /** Every committed offset of these groups, by group, topic and partition. */
  Future<List<CommittedOffset>> committed(Collection<String> groupIds) {
    Tuple params = Tuple.tuple().addValue(groupIds.toArray(new String[0]));
    return database.pool().preparedQuery(SELECT).execute(params).map(rows -> {
      List<CommittedOffset> offsets = new ArrayList<>(rows.size());
      rows.forEach(row -> offsets.add(new CommittedOffset(row.getString("group_id"), row.getString("topic"),
          row.getInteger("kafka_partition"), row.getLong("committed_offset"), row.getInteger("leader_epoch"),
          row.getString("metadata"))));
      return offsets;
    });
  }

  /** The ids of every group with committed offsets. */
  Future<List<String>> groups() {
    return database.pool().preparedQuery(GROUPS).execute().map(rows -> {
      List<String> ids = new ArrayList<>(rows.size());
      rows.forEach(row -> ids.add(row.getString(0)));
      return ids;
    });
  }

  /** Forgets a group's offsets; answers whether it had any. */
  Future<Boolean> delete(String groupId) {
    return database.pool().preparedQuery(DELETE).execute(Tuple.of(groupId)).map(rows -> rows.rowCount() > 0);
  }
}
