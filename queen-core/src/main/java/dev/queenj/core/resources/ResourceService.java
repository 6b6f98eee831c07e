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

/**
 * Queues, partitions and message counts for administrators and dashboards. Counting reads the whole message log, so
 * the views over every queue (overview, queue list, namespaces, tasks) share one recent read of every queue's counts
 * ({@link SharedCounts}): however often they are asked for, an instance counts at most once per
 * {@link #COUNTS_REUSE_MS} (longer when counting is slow). The queue list itself is read on every request (the queues
 * table is small), so a queue created or deleted shows at once. One queue's detail is counted on request: it reads
 * that queue's messages only.
 */
public final class ResourceService {
  private static final String PARTITION_STATS = Sql.load(ResourceService.class, "partition_stats_select.sql");
  private static final double SECONDS_PER_MINUTE = 60.0;
  /** The shortest time a read of every queue's counts is reused: the dashboard's refresh period. */
  public static final long COUNTS_REUSE_MS = 5_000;

  private final Database database;
  private final QueueCatalog queues;
  private final ConsumerGroupService groups;
  private final SharedCounts counts;

  public ResourceService(Database database, QueueCatalog queues, ConsumerGroupService groups) {
    this(database, queues, groups, COUNTS_REUSE_MS);
  }

  ResourceService(Database database, QueueCatalog queues, ConsumerGroupService groups, long countsReuseMs) {
    this.database = database;
    this.queues = queues;
    this.groups = groups;
    this.counts = new SharedCounts(countsReuseMs);
  }

  /** Every queue with its partitions' counts, by name; the counts are as of {@link Counted#readAt()}. */
  public Future<Counted<List<QueueStats>>> queues() {
    return queues.all().compose(all -> shared(all).map(snapshot -> byQueue(all, snapshot)));
  }

  private static Counted<List<QueueStats>> byQueue(List<Queue> all, CountsSnapshot snapshot) {
    Map<UUID, List<PartitionStats>> byQueue = new HashMap<>();
    snapshot.partitions().forEach(p -> byQueue.computeIfAbsent(p.queueId(), id -> new ArrayList<>()).add(p));
    List<QueueStats> result = new ArrayList<>(all.size());
    for (Queue queue : all) {
      result.add(new QueueStats(queue, byQueue.getOrDefault(queue.id(), List.of())));
    }
    return new Counted<>(result, snapshot.readAt());
  }

  /** How many times every queue's counts were read from the database since this service started. */
  public long countReads() {
    return counts.reads();
  }

  private Future<CountsSnapshot> shared(List<Queue> all) {
    Set<UUID> ids = new HashSet<>();
    all.forEach(queue -> ids.add(queue.id()));
    return counts.get(ids, () -> {
      OffsetDateTime readAt = OffsetDateTime.now(ZoneOffset.UTC);
      // Kafka groups' lag with Queen's: one more statement per read, bounded by the committed offsets
      return partitionStats(null).compose(stats -> groups.lagWithKafka(null)
          .map(lags -> new CountsSnapshot(stats, lags, readAt)));
    });
  }

  /** One queue with its partitions' counts, read on request; empty when there is no such queue. */
  public Future<Optional<QueueStats>> queue(String name) {
    return queues.find(name).compose(found -> found.isEmpty()
        ? Future.succeededFuture(Optional.empty())
        : partitionStats(found.get().id()).map(stats -> Optional.of(new QueueStats(found.get(), stats))));
  }

  /** Queues grouped by namespace, by name; queues without one are left out. */
  public Future<Counted<List<QueueGroupStats>>> namespaces() {
    return queues().map(all -> all.map(list -> groupedBy(list, queue -> queue.namespace())));
  }

  /** Queues grouped by task, by name; queues without one are left out. */
  public Future<Counted<List<QueueGroupStats>>> tasks() {
    return queues().map(all -> all.map(list -> groupedBy(list, queue -> queue.task())));
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

  /**
   * Every queue's counts and every group's lag per partition, Queen's and Kafka's, from the same shared read as
   * {@link #queues()}: what is left to consume, for the Prometheus series.
   */
  public Future<Counted<Backlog>> backlog() {
    return queues.all().compose(all -> shared(all)
        .map(snapshot -> byQueue(all, snapshot).map(list -> new Backlog(list, lagsOfListed(all, snapshot)))));
  }

  /**
   * The whole system at a glance, from the same shared read as {@link #queues()}, lag included: Queen's groups per
   * partition they read, Kafka's per Kafka partition they committed an offset on.
   */
  public Future<Counted<Overview>> overview() {
    return queues.all().compose(all -> shared(all)
        .map(snapshot -> byQueue(all, snapshot).map(list -> overview(list, lagsOfListed(all, snapshot)))));
  }

  /** The read's lag on the queues listed now: a queue deleted since the read takes its groups' lag with it. */
  private static List<PartitionLag> lagsOfListed(List<Queue> all, CountsSnapshot snapshot) {
    Set<String> names = new HashSet<>();
    all.forEach(queue -> names.add(queue.name()));
    return snapshot.lags().stream().filter(lag -> names.contains(lag.queue())).toList();
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
