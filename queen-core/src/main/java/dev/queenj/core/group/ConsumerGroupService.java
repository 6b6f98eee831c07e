package dev.queenj.core.group;

import dev.queenj.core.group.LiveKafkaGroups.LiveKafkaGroup;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Consumer groups as an administrator sees them: their lag, and the operations that move or forget their cursors.
 * Groups exist only through their cursors ({@code partition_consumers}) and stored subscriptions
 * ({@code group_subscriptions}); there is no group table to keep in step. Kafka groups, which exist through their
 * committed offsets ({@link KafkaGroupOffsets}), are listed beside them by the views that say so.
 */
public final class ConsumerGroupService {
  private static final String LAG = Sql.load(ConsumerGroupService.class, "consumer_lag_select.sql");
  private static final String DELETE_CONSUMERS = Sql.load(ConsumerGroupService.class, "consumer_delete.sql");
  private static final String DELETE_SCANS = Sql.load(ConsumerGroupService.class, "group_log_scans_delete.sql");
  private static final String DELETE_SUBSCRIPTIONS = Sql.load(ConsumerGroupService.class, "subscription_delete.sql");
  private static final String UPDATE_SUBSCRIPTIONS = Sql.load(ConsumerGroupService.class, "subscription_update.sql");
  private static final String SEEK = Sql.load(ConsumerGroupService.class, "consumer_seek.sql");

  private final Database database;
  private final KafkaGroupOffsets kafkaGroups;
  private volatile LiveKafkaGroups liveKafkaGroups = LiveKafkaGroups.NONE;

  public ConsumerGroupService(Database database, KafkaGroupOffsets kafkaGroups) {
    this.database = database;
    this.kafkaGroups = kafkaGroups;
  }

  /** The Kafka coordinator's view of its live groups, while it listens ({@link LiveKafkaGroups#NONE} after). */
  public void showLiveKafkaGroups(LiveKafkaGroups live) {
    this.liveKafkaGroups = live;
  }

  /**
   * Per-partition lag of Queen group {@code group} (its cursors), or of every Queen group when null; ordered by group,
   * queue, partition.
   */
  public Future<List<PartitionLag>> lag(String group) {
    return database.pool().preparedQuery(LAG).execute(Tuple.of(group)).map(rows -> {
      List<PartitionLag> lags = new ArrayList<>(rows.size());
      rows.forEach(row -> lags.add(toLag(row)));
      return lags;
    });
  }

  /**
   * Per-partition lag of {@code group}, or of every group when null, Queen's groups then Kafka's (a Kafka group's
   * partitions are those it committed offsets on).
   */
  public Future<List<PartitionLag>> lagWithKafka(String group) {
    Future<List<PartitionLag>> queen = lag(group);
    Future<List<KafkaPartitionLag>> kafka = kafkaGroups.lag(group);
    return Future.all(queen, kafka).map(done -> {
      List<PartitionLag> all = new ArrayList<>(queen.result());
      kafka.result().forEach(k -> all.add(PartitionLag.of(k)));
      return all;
    });
  }

  /** Every (group, partition), Queen's and Kafka's, whose oldest unconsumed message is at least this old. */
  public Future<List<PartitionLag>> lagging(long minLagSeconds) {
    return lagWithKafka(null).map(all -> all.stream()
        .filter(p -> p.offsetLag() > 0 && p.timeLagSeconds() >= minLagSeconds)
        .toList());
  }

  /** One entry per group, queue and protocol: Queen's groups, then Kafka's. */
  public Future<List<GroupSummary>> summaries() {
    Future<List<PartitionLag>> queen = lag(null);
    Future<List<KafkaPartitionLag>> kafka = kafkaGroups.lag(null);
    Future<Map<String, LiveKafkaGroup>> live = liveKafkaGroups.coordinatedHere();
    return Future.all(queen, kafka, live).map(done -> {
      List<GroupSummary> all = new ArrayList<>(GroupSummary.of(queen.result()));
      all.addAll(GroupSummary.ofKafka(kafka.result(), live.result()));
      return all;
    });
  }

  /**
   * Deletes Kafka group {@code group}'s committed offsets, as Kafka's DeleteGroups does, only when it has no live
   * members: this instance's coordinator has none of it, and no other instance holds its lease (see {@link
   * KafkaGroupOffsets#deleteIfEmpty}); answers how many went. A member joining between the check and the deletion
   * finds no offsets and starts from its reset position, as after a DeleteGroups answered just before its join.
   */
  public Future<Integer> deleteKafka(String group) {
    LiveKafkaGroups live = liveKafkaGroups;
    return live.coordinatedHere().compose(here -> {
      LiveKafkaGroup coordinated = here.get(group);
      if (coordinated != null && coordinated.members() > 0) {
        return Future.failedFuture(KafkaGroupOffsets.notEmpty(group));
      }
      // coordinated here without members: this instance's own lease does not stand in the way
      return kafkaGroups.deleteIfEmpty(group, coordinated == null ? null : live.instanceId());
    });
  }

  /**
   * Deletes a group's cursors on every queue ({@code queue} null) or on one, and with {@code deleteMetadata} its
   * stored subscriptions there too, so that its next pop starts afresh.
   */
  public Future<GroupDeletion> delete(String group, String queue, boolean deleteMetadata) {
    Tuple scope = Tuple.of(group, queue);
    return database.inTransaction(tx -> tx.preparedQuery(DELETE_CONSUMERS).execute(scope)
        .compose(consumers -> tx.preparedQuery(DELETE_SCANS).execute(scope).map(consumers))
        .compose(consumers -> (deleteMetadata
            ? tx.preparedQuery(DELETE_SUBSCRIPTIONS).execute(scope).<Void>mapEmpty()
            : Future.<Void>succeededFuture())
            .map(done -> new GroupDeletion(consumers.rowCount(), deleteMetadata))));
  }

  /** Moves the group's stored start on all its queues to {@code start}; answers how many queues it covered. */
  public Future<Integer> updateSubscription(String group, OffsetDateTime start) {
    return database.pool().preparedQuery(UPDATE_SUBSCRIPTIONS).execute(Tuple.of(group, start))
        .map(rows -> rows.rowCount());
  }

  /**
   * Moves the group's cursors on {@code queue} ({@code partition} null = every partition) and releases its leases
   * there; answers how many partitions moved (0 when the queue or partition does not exist).
   */
  public Future<Integer> seek(String group, String queue, String partition, SeekTarget target) {
    OffsetDateTime at = target instanceof SeekTarget.Time time ? time.at() : null;
    return database.pool().preparedQuery(SEEK).execute(Tuple.of(group, queue, at, partition))
        .map(rows -> rows.rowCount());
  }

  private static PartitionLag toLag(Row r) {
    return new PartitionLag(r.getString("consumer_group"), r.getString("queue_name"), r.getUUID("partition_id"),
        r.getString("partition_name"), r.getBoolean("has_state"), r.getString("worker_id"),
        r.getOffsetDateTime("last_consumed_at"), r.getLong("total_consumed"), r.getLong("offset_lag"),
        r.getLong("time_lag_seconds"), r.getBoolean("lease_active"), r.getString("subscription_mode"),
        r.getOffsetDateTime("subscription_start"), GroupProtocol.QUEEN);
  }
}
