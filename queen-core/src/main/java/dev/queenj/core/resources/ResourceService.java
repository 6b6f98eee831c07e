package dev.queenj.core.resources;

import dev.queenj.core.group.ConsumerGroupService;
import dev.queenj.core.group.PartitionLag;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/** Queues, partitions and message counts for administrators and dashboards. */
public final class ResourceService {
  private static final String PARTITION_STATS = Sql.load(ResourceService.class, "partition_stats_select.sql");
  private static final double SECONDS_PER_MINUTE = 60.0;

  private final Database database;
  private final QueueCatalog queues;
  private final ConsumerGroupService groups;

  public ResourceService(Database database, QueueCatalog queues, ConsumerGroupService groups) {
    this.database = database;
    this.queues = queues;
    this.groups = groups;
  }

  /** Every queue with its partitions' counts, by name. */
  public Future<List<QueueStats>> queues() {
    return queues.all().compose(all -> partitionStats(null).map(stats -> {
      Map<UUID, List<PartitionStats>> byQueue = new HashMap<>();
      stats.forEach(p -> byQueue.computeIfAbsent(p.queueId(), id -> new ArrayList<>()).add(p));
      List<QueueStats> result = new ArrayList<>(all.size());
      for (Queue queue : all) {
        result.add(new QueueStats(queue, byQueue.getOrDefault(queue.id(), List.of())));
      }
      return result;
    }));
  }

  /** One queue with its partitions' counts; empty when there is no such queue. */
  public Future<Optional<QueueStats>> queue(String name) {
    return queues.find(name).compose(found -> found.isEmpty()
        ? Future.succeededFuture(Optional.empty())
        : partitionStats(found.get().id()).map(stats -> Optional.of(new QueueStats(found.get(), stats))));
  }

  /** Queues grouped by namespace, by name; queues without one are left out. */
  public Future<List<QueueGroupStats>> namespaces() {
    return queues().map(all -> groupedBy(all, queue -> queue.namespace()));
  }

  /** Queues grouped by task, by name; queues without one are left out. */
  public Future<List<QueueGroupStats>> tasks() {
    return queues().map(all -> groupedBy(all, queue -> queue.task()));
  }

  private static List<QueueGroupStats> groupedBy(List<QueueStats> all, Function<Queue, String> key) {
    Map<String, QueueGroupStats> groups = new TreeMap<>();
    for (QueueStats q : all) {
      String name = key.apply(q.queue());
      if (name == null || name.isEmpty()) {
        continue;
      }
      QueueGroupStats one = new QueueGroupStats(name, 1, q.partitions().size(), q.totals());
      groups.merge(name, one, (a, b) -> new QueueGroupStats(name, a.queues() + b.queues(),
          a.partitions() + b.partitions(), a.messages().plus(b.messages())));
    }
    return new ArrayList<>(groups.values());
  }

  public Future<Overview> overview() {
    return queues().compose(all -> groups.lag(null).map(lags -> overview(all, lags)));
  }

  private static Overview overview(List<QueueStats> all, List<PartitionLag> lags) {
    Set<String> namespaces = new HashSet<>();
    Set<String> tasks = new HashSet<>();
    int partitions = 0;
    long lastMinute = 0;
    MessageStats messages = MessageStats.ZERO;
    for (QueueStats queue : all) {
      addIfNotEmpty(namespaces, queue.queue().namespace());
      addIfNotEmpty(tasks, queue.queue().task());
      partitions += queue.partitions().size();
      messages = messages.plus(queue.totals());
      for (PartitionStats partition : queue.partitions()) {
        lastMinute += partition.ingestedLastMinute();
      }
    }
    long[] timeLags = lags.stream().mapToLong(PartitionLag::timeLagSeconds).toArray();
    long[] offsetLags = lags.stream().mapToLong(PartitionLag::offsetLag).toArray();
    return new Overview(all.size(), partitions, namespaces.size(), tasks.size(), messages,
        Distribution.of(timeLags), Distribution.of(offsetLags), lastMinute / SECONDS_PER_MINUTE,
        OffsetDateTime.now(ZoneOffset.UTC));
  }

  private static void addIfNotEmpty(Set<String> names, String name) {
    if (name != null && !name.isEmpty()) {
      names.add(name);
    }
  }

  private Future<List<PartitionStats>> partitionStats(UUID queueId) {
    return database.pool().preparedQuery(PARTITION_STATS).execute(Tuple.of(queueId)).map(rows -> {
      List<PartitionStats> stats = new ArrayList<>(rows.size());
      rows.forEach(row -> stats.add(toStats(row)));
      return stats;
    });
  }

  private static PartitionStats toStats(Row r) {
    MessageStats counts = new MessageStats(r.getLong("total"), r.getLong("pending"), r.getLong("processing"),
        r.getLong("completed"), r.getLong("failed"), r.getLong("dead_letters"));
    return new PartitionStats(r.getUUID("id"), r.getUUID("queue_id"), r.getString("name"),
        r.getOffsetDateTime("created_at"), counts, r.getOffsetDateTime("oldest"), r.getOffsetDateTime("newest"),
        r.getLong("last_minute"));
  }
}
