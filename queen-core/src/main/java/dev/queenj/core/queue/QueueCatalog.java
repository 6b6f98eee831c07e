package dev.queenj.core.queue;

import dev.queenj.core.Uuid7;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Queues by name. Appends need only a queue's id, which never changes while the queue exists, so queues are cached;
 * options are read from Postgres by what needs them, at most {@link #RECENT} old for the hot paths ({@link #recent}
 * for pops, {@link #recentTopicConfigs} for Kafka produce). The cached Kafka partition count can be stale when another
 * instance grew the queue; appends therefore place partitions over the stored count, and anything that must see the
 * current count reads the queue ({@link #find}, {@link #named}, {@link #all}). Changes made through this instance are
 * seen by it at once.
 */
public final class QueueCatalog {
  private static final String ENSURE = Sql.load(QueueCatalog.class, "queue_ensure.sql");
  private static final String SELECT = Sql.load(QueueCatalog.class, "queue_select.sql");
  private static final String CONFIGURE = Sql.load(QueueCatalog.class, "queue_configure.sql");
  private static final String ENSURE_PARTITION = Sql.load(QueueCatalog.class, "partition_ensure.sql");
  private static final String DELETE = Sql.load(QueueCatalog.class, "queue_delete.sql");
  private static final String LIST = Sql.load(QueueCatalog.class, "queue_list.sql");
  private static final String SELECT_BY_NAMES = Sql.load(QueueCatalog.class, "queue_select_by_names.sql");
  private static final String SELECT_BY_TOPIC_IDS = Sql.load(QueueCatalog.class, "queue_select_by_topic_ids.sql");
  private static final String GROW = Sql.load(QueueCatalog.class, "queue_grow.sql");
  private static final String INSERT_TOPIC_CONFIGS = Sql.load(QueueCatalog.class, "topic_configs_insert.sql");
  private static final String SELECT_TOPIC_CONFIGS = Sql.load(QueueCatalog.class, "topic_configs_select.sql");
  private static final String REPLACE_TOPIC_CONFIGS = Sql.load(QueueCatalog.class, "topic_configs_replace.sql");

  /**
   * How old the queue options a pop works with, and the topic configs Kafka produce checks against, may be: a change
   * made through another instance takes effect here within that time (Kafka brokers apply dynamic config changes
   * asynchronously too).
   */
  public static final Duration RECENT = Duration.ofSeconds(1);

  private final Database database;
  private final int defaultKafkaPartitions;
  private final ConcurrentMap<String, Queue> cache = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, RecentQueue> recentQueues = new ConcurrentHashMap<>();
  private final ConcurrentMap<UUID, RecentConfigs> recentConfigs = new ConcurrentHashMap<>();

  /** A queue as read at some time. */
  private record RecentQueue(Queue queue, long readAtNanos) {}

  /** A queue's topic configs and when they were read. */
  private record RecentConfigs(Map<String, String> configs, long readAtNanos) {}

  private final boolean encryptionAvailable;

  /** {@code encryptionAvailable}: a key is configured, so queues may have encryption enabled. */
  public QueueCatalog(Database database, int defaultKafkaPartitions, boolean encryptionAvailable) {
    if (defaultKafkaPartitions < 1) {
      throw new IllegalArgumentException("defaultKafkaPartitions must be at least 1");
    }
    this.database = database;
    this.defaultKafkaPartitions = defaultKafkaPartitions;
    this.encryptionAvailable = encryptionAvailable;
  }

  /** The queue, created with default options when it does not exist yet (auto-creation on first push). */
  public Future<Queue> ensure(String name) {
    Queue cached = cache.get(name);
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    SqlClient client = database.pool();
    return client.preparedQuery(ENSURE)
        .execute(Tuple.of(Uuid7.next(), name, Queue.namespaceOf(name), Queue.taskOf(name), defaultKafkaPartitions))
        .compose(created -> select(client, name))
        .map(found -> found.orElseThrow(() -> new IllegalStateException("queue " + name + " vanished on creation")));
  }

  /** The queue as cached, without a round trip; null when this instance has not resolved it yet. */
  public Queue cached(String name) {
    return cache.get(name);
  }

  /**
   * Creates a queue with {@code kafkaPartitions} logs and these Kafka topic configs (names and values already
   * validated by the caller); empty when a queue of that name exists, which is then left as it is.
   */
  public Future<Optional<Queue>> create(String name, int kafkaPartitions, Map<String, String> topicConfigs) {
    if (kafkaPartitions < 1) {
      throw new IllegalArgumentException("kafkaPartitions must be at least 1");
    }
    return database.inTransaction(tx -> tx.preparedQuery(ENSURE)
        .execute(Tuple.of(Uuid7.next(), name, Queue.namespaceOf(name), Queue.taskOf(name), kafkaPartitions))
        .compose(created -> {
          if (created.rowCount() == 0) {
            return Future.succeededFuture(Optional.<Queue>empty());
          }
          return select(tx, name).compose(queue -> topicConfigs.isEmpty() ? Future.succeededFuture(queue)
              : tx.preparedQuery(INSERT_TOPIC_CONFIGS).execute(Tuple.tuple().addValue(queue.orElseThrow().id())
                  .addValue(topicConfigs.keySet().toArray(new String[0]))
                  .addValue(topicConfigs.values().toArray(new String[0]))).map(inserted -> queue));
        }));
  }

  /**
   * Raises a queue's Kafka partition count to {@code kafkaPartitions}; empty when no queue of that name has fewer
   * (it does not exist, or already has as many or more: counts never shrink).
   */
  public Future<Optional<Queue>> grow(String name, int kafkaPartitions) {
    return database.inTransaction(tx -> tx.preparedQuery(GROW).execute(Tuple.of(name, kafkaPartitions)))
        .compose(grown -> {
          // this instance's cache must not keep serving the old count
          cache.remove(name);
          recentQueues.remove(name);
          return grown.size() == 0 ? Future.succeededFuture(Optional.<Queue>empty()) : find(name);
        });
  }

  /** The Kafka topic configs set on these queues (those left at their defaults are absent), by queue id. */
  public Future<Map<UUID, Map<String, String>>> topicConfigs(Collection<UUID> queueIds) {
    Tuple params = Tuple.tuple().addValue(queueIds.toArray(new UUID[0]));
    return database.pool().preparedQuery(SELECT_TOPIC_CONFIGS).execute(params).map(rows -> {
      Map<UUID, Map<String, String>> configs = new HashMap<>();
      rows.forEach(row -> configs.computeIfAbsent(row.getUUID("queue_id"), id -> new TreeMap<>())
          .put(row.getString("name"), row.getString("value")));
      return configs;
    });
  }

  /**
   * The topic configs of these queues as read at most {@link #RECENT} ago, for checks on every Kafka produce.
   */
  public Future<Map<UUID, Map<String, String>>> recentTopicConfigs(Collection<UUID> queueIds) {
    long now = System.nanoTime();
    Map<UUID, Map<String, String>> found = new HashMap<>();
    List<UUID> stale = new ArrayList<>();
    for (UUID id : queueIds) {
      RecentConfigs recent = recentConfigs.get(id);
      if (recent != null && now - recent.readAtNanos() < RECENT.toNanos()) {
        found.put(id, recent.configs());
      } else {
        stale.add(id);
      }
    }
    if (stale.isEmpty()) {
      return Future.succeededFuture(found);
    }
    return topicConfigs(stale).map(read -> {
      if (recentConfigs.size() > cache.size() * 2 + 1_000) {
        // configs of queues long gone; those still in use are read again
        recentConfigs.clear();
      }
      for (UUID id : stale) {
        Map<String, String> configs = read.getOrDefault(id, Map.of());
        recentConfigs.put(id, new RecentConfigs(configs, now));
        found.put(id, configs);
      }
      return found;
    });
  }

  /**
   * Replaces the Kafka topic configs stored for a queue with {@code topicConfigs} (validated by the caller); answers
   * whether the queue exists.
   */
  public Future<Boolean> replaceTopicConfigs(String name, Map<String, String> topicConfigs) {
    Tuple params = Tuple.tuple().addValue(name).addValue(topicConfigs.keySet().toArray(new String[0]))
        .addValue(topicConfigs.values().toArray(new String[0]));
    return database.pool().preparedQuery(REPLACE_TOPIC_CONFIGS).execute(params)
        .onComplete(done -> recentConfigs.clear())
        .map(rows -> rows.size() > 0);
  }

  /** The queue as stored now, without creating it. */
  public Future<Optional<Queue>> find(String name) {
    return select(database.pool(), name);
  }

  /**
   * The queue with its options as read at most {@link #RECENT} ago, for pops: a queue another instance deleted may
   * still be answered that long (its pops then find nothing), one it created may be missed that long.
   */
  public Future<Optional<Queue>> recent(String name) {
    long now = System.nanoTime();
    RecentQueue recent = recentQueues.get(name);
    if (recent != null && now - recent.readAtNanos() < RECENT.toNanos()) {
      return Future.succeededFuture(Optional.of(recent.queue()));
    }
    return find(name).onSuccess(found -> {
      if (recentQueues.size() > cache.size() * 2 + 1_000) {
        // queues long gone; those still in use are read again
        recentQueues.clear();
      }
      found.ifPresentOrElse(queue -> recentQueues.put(name, new RecentQueue(queue, now)),
          () -> recentQueues.remove(name));
    });
  }

  /** Every queue as stored now, by name. */
  public Future<List<Queue>> all() {
    return database.pool().preparedQuery(LIST).execute().map(QueueCatalog::toQueues);
  }

  /**
   * The queues of these names that exist now, by name, in one round trip. A name the database does not know is
   * dropped from the cache, so that a following {@link #ensure} creates it instead of answering a queue that another
   * instance deleted.
   */
  public Future<List<Queue>> named(Collection<String> names) {
    Tuple params = Tuple.tuple().addValue(names.toArray(new String[0]));
    return database.pool().preparedQuery(SELECT_BY_NAMES).execute(params).map(rows -> {
      List<Queue> found = toQueues(rows);
      Set<String> missing = new HashSet<>(names);
      found.forEach(queue -> {
        missing.remove(queue.name());
        cache.put(queue.name(), queue);
      });
      missing.forEach(cache::remove);
      return found;
    });
  }

  /** The queues with these topic ids that exist now, by name. */
  public Future<List<Queue>> withTopicIds(Collection<UUID> topicIds) {
    Tuple params = Tuple.tuple().addValue(topicIds.toArray(new UUID[0]));
    return database.pool().preparedQuery(SELECT_BY_TOPIC_IDS).execute(params).map(QueueCatalog::toQueues);
  }

  /**
   * Creates or overwrites a queue's options and makes sure its {@code Default} partition exists. Encryption without a
   * key configured is refused ({@link InvalidRequestException}) and changes nothing.
   */
  public Future<Queue> configure(String name, String namespace, String task, QueueOptions o) {
    if (o.encryptionEnabled() && !encryptionAvailable) {
      return Future.failedFuture(new InvalidRequestException("encryptionEnabled requires QUEEN_ENCRYPTION_KEY to be "
          + "set on the server (64 hex characters); the queue was not changed"));
    }
    Tuple params = Tuple.tuple().addValue(Uuid7.next()).addValue(name).addValue(namespace).addValue(task)
        .addValue(defaultKafkaPartitions).addValue(o.leaseTime()).addValue(o.retryLimit()).addValue(o.retryDelay())
        .addValue(o.maxSize()).addValue(o.ttl()).addValue(o.deadLetterQueue()).addValue(o.dlqAfterMaxRetries())
        .addValue(o.priority()).addValue(o.delayedProcessing()).addValue(o.windowBuffer())
        .addValue(o.retentionSeconds()).addValue(o.completedRetentionSeconds()).addValue(o.retentionEnabled())
        .addValue(o.encryptionEnabled()).addValue(o.maxWaitTimeSeconds());
    return database.inTransaction(tx -> tx.preparedQuery(CONFIGURE).execute(params)
        .compose(rows -> select(tx, name))
        .map(Optional::orElseThrow)
        .compose(queue -> tx.preparedQuery(ENSURE_PARTITION)
            .execute(Tuple.of(defaultPartitionId(queue), queue.id(), PartitionPlacement.DEFAULT_PARTITION,
                PartitionPlacement.kafkaPartition(PartitionPlacement.DEFAULT_PARTITION, queue.kafkaPartitions())))
            .map(inserted -> queue)))
        .onComplete(done -> recentQueues.remove(name));
  }

  public static UUID defaultPartitionId(Queue queue) {
    return PartitionPlacement.partitionId(queue.id(), PartitionPlacement.DEFAULT_PARTITION);
  }

  /** Deletes a queue with all its messages and consumer state; answers whether it existed. */
  public Future<Boolean> delete(String name) {
    forget(name);
    return database.inTransaction(tx -> tx.preparedQuery(DELETE).execute(Tuple.of(name)))
        .map(rows -> rows.size() > 0)
        .onComplete(done -> forget(name));
  }

  /** Forgets a cached queue, e.g. after another instance deleted it and an append failed on it. */
  public void forget(String name) {
    cache.remove(name);
    recentQueues.remove(name);
  }

  private Future<Optional<Queue>> select(SqlClient client, String name) {
    return client.preparedQuery(SELECT).execute(Tuple.of(name)).map(this::firstQueue);
  }

  private Optional<Queue> firstQueue(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Optional.empty();
    }
    Queue queue = toQueue(rows.iterator().next());
    cache.put(queue.name(), queue);
    return Optional.of(queue);
  }

  private static List<Queue> toQueues(RowSet<Row> rows) {
    List<Queue> queues = new ArrayList<>(rows.size());
    rows.forEach(row -> queues.add(toQueue(row)));
    return queues;
  }

  private static Queue toQueue(Row r) {
    QueueOptions options = new QueueOptions(r.getInteger("lease_time"), r.getInteger("retry_limit"),
        r.getInteger("retry_delay"), r.getInteger("max_size"), r.getInteger("ttl"),
        r.getBoolean("dead_letter_queue"), r.getBoolean("dlq_after_max_retries"), r.getInteger("priority"),
        r.getInteger("delayed_processing"), r.getInteger("window_buffer"), r.getInteger("retention_seconds"),
        r.getInteger("completed_retention_seconds"), r.getBoolean("retention_enabled"),
        r.getBoolean("encryption_enabled"), r.getInteger("max_wait_time_seconds"));
    return new Queue(r.getUUID("id"), r.getString("name"), r.getString("namespace"), r.getString("task"),
        r.getInteger("kafka_partitions"), r.getUUID("topic_id"), options, r.getOffsetDateTime("created_at"));
  }
}
