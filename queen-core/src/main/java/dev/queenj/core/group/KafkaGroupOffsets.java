package dev.queenj.core.group;

import dev.queenj.core.error.OperationRejectedException;
import dev.queenj.core.stats.ThroughputCounters;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Committed offsets of Kafka consumer groups (table {@code kafka_group_offsets}), per (group, queue, Kafka
 * partition), with their metadata, leader epoch and commit time. Kafka group membership is the protocol's; what is
 * stored of a group is here, so that kafka-wire runs no SQL of its own. Offsets committed inside a Kafka transaction
 * are staged and stored by {@link dev.queenj.core.kafkatxn.KafkaTransactions} instead.
 */
public final class KafkaGroupOffsets {
  private static final String UPSERT = load("kafka_group_offsets_upsert.sql");
  private static final String SELECT = load("kafka_group_offsets_select.sql");
  private static final String GROUPS = load("kafka_group_offsets_groups.sql");
  private static final String DELETE = load("kafka_group_offsets_delete.sql");
  private static final String DELETE_PARTITIONS = load("kafka_group_offsets_delete_partitions.sql");
  private static final String DELETE_EMPTY = load("kafka_group_offsets_delete_empty.sql");
  private static final String LAG = load("kafka_group_lag_select.sql");

  private final Database database;
  private final ThroughputCounters counters;

  /** {@code counters} count as acked the records each commit moves a group past (see the upsert's comment). */
  public KafkaGroupOffsets(Database database, ThroughputCounters counters) {
    this.database = database;
    this.counters = counters;
  }

  private static String load(String name) {
    return Sql.load(KafkaGroupOffsets.class, name);
  }

  /**
   * Stores every offset of one commit at once: a commit is applied whole or not at all. Offsets of queues deleted
   * since the protocol resolved them are skipped.
   */
  public Future<Void> commit(String groupId, List<OffsetCommit> offsets) {
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    Tuple params = OffsetColumns.addTo(Tuple.of(groupId), offsets);
    return database.pool().preparedQuery(UPSERT).execute(params)
        // committed: one counter update per queue
        .onSuccess(rows -> rows.forEach(row -> counters.acked(row.getString("queue_name"), row.getLong("moved"))))
        .mapEmpty();
  }

  /**
   * Per-partition lag of Kafka group {@code groupId}, or of every Kafka group when null; ordered by group, queue and
   * Kafka partition.
   */
  public Future<List<KafkaPartitionLag>> lag(String groupId) {
    return database.pool().preparedQuery(LAG).execute(Tuple.of(groupId)).map(rows -> {
      List<KafkaPartitionLag> lags = new ArrayList<>(rows.size());
      rows.forEach(r -> lags.add(new KafkaPartitionLag(r.getString("group_id"), r.getString("queue_name"),
          r.getInteger("kafka_partition"), r.getLong("committed_offset"), r.getOffsetDateTime("committed_at"),
          r.getLong("log_start_offset"), r.getLong("next_offset"), r.getLong("offset_lag"),
          r.getLong("time_lag_seconds"), r.getBoolean("coordinated"))));
      return lags;
    });
  }

  /**
   * Forgets all of a group's offsets, as Kafka's DeleteGroups does, only while no instance other than {@code self}
   * (null: none at all) holds the group's coordinator lease (a group with live members always has one); answers how
   * many offsets went.
   *
   * @throws OperationRejectedException (in the future) while another instance holds the lease
   */
  public Future<Integer> deleteIfEmpty(String groupId, String self) {
    return database.pool().preparedQuery(DELETE_EMPTY).execute(Tuple.of(groupId, self)).map(rows -> {
      Row row = rows.iterator().next();
      if (row.getBoolean("coordinated")) {
        throw notEmpty(groupId);
      }
      return row.getLong("deleted").intValue();
    });
  }

  /** The refusal of a deletion while the group may have live members. */
  static OperationRejectedException notEmpty(String groupId) {
    return new OperationRejectedException(-1, "Kafka consumer group " + groupId + " may have live members; Kafka "
        + "deletes only an empty group: stop its consumers and retry (a group coordinated by another instance counts "
        + "as live until its coordinator lease lapses)");
  }

  /** Every committed offset of these groups, by group, topic and partition. */
  public Future<List<CommittedOffset>> committed(Collection<String> groupIds) {
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
  public Future<List<String>> groups() {
    return database.pool().preparedQuery(GROUPS).execute().map(rows -> {
      List<String> ids = new ArrayList<>(rows.size());
      rows.forEach(row -> ids.add(row.getString(0)));
      return ids;
    });
  }

  /** Forgets all of a group's offsets; answers whether it had any. */
  public Future<Boolean> delete(String groupId) {
    return database.pool().preparedQuery(DELETE).execute(Tuple.of(groupId)).map(rows -> rows.rowCount() > 0);
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
