package dev.queenj.core.push;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.push.AppendBatch.Target;
import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Appends items with one statement whatever the batch size ({@code message_append.sql}), in two ways:
 * <ul>
 *   <li>{@link #appendAndCommit} on its own, outside any transaction: one round trip and one commit. Java guesses
 *       each item's log (a Queen partition's name hashed over the cached partition count, unless the
 *       {@link PlacementCache} knows it lives elsewhere); the statement verifies the guess against Postgres and
 *       aborts as a whole if it was wrong, and the append then learns the stored placement and runs again.
 *   <li>{@link #append} inside a caller's transaction: the Queen partitions are placed and the logs' heads locked by
 *       a statement of their own first, so whatever else the transaction does (acks) is decided under those locks.
 * </ul>
 *
 * <p>Batches of idempotent producers are appended with the producer states they lead to ({@link SequenceWrite}),
 * which the statement stores only if each log still holds the state the batches were decided on.
 *
 * <p>Placement: a Queen partition that exists stays in the Kafka partition its row names even after the queue's
 * Kafka partition count grew, and a new one is placed over the current count, so a conversation never spans two logs.
 * A Kafka record names its Kafka partition itself; it lands in the Queen partition named by its key only when that
 * partition lives (or, new, would be placed) in that Kafka partition, else in {@link PartitionPlacement#kafkaFallback}.
 */
public final class MessageAppender {
  private static final String PLACE_AND_LOCK = Sql.load(MessageAppender.class, "partitions_place_lock.sql");
  private static final String APPEND = Sql.load(MessageAppender.class, "message_append.sql");
  private static final String PLACEMENTS = Sql.load(MessageAppender.class, "partition_placements_select.sql");
  /** SQLSTATEs of message_append.sql's own aborts, and Postgres' unique violation (a concurrent duplicate). */
  private static final String MISPLACED = "QJ001";
  private static final String QUEUE_CHANGED = "QJ002";
  private static final String SEQUENCE_CHANGED = "QJ003";
  private static final String UNIQUE_VIOLATION = "23505";
  /** Wrong guesses and concurrent duplicates tolerated before an append gives up ({@link AppendConflictException}). */
  private static final int ATTEMPTS = 4;

  private final QueueCatalog queues;
  private final PayloadCipher cipher;
  private final PlacementCache placements = new PlacementCache();

  /** One placement request in a transaction: a Queen partition, and for a Kafka record the log it was produced into. */
  private record Wanted(UUID partitionId, Integer producedInto) {}

  /** {@code cipher} seals the payloads of queues with encryption enabled. */
  public MessageAppender(QueueCatalog queues, PayloadCipher cipher) {
    this.queues = queues;
    this.cipher = cipher;
  }

  /**
   * Resolves (auto-creating) the queues named by the items; done before appending. If the append then fails with
   * {@link QueueChangedException}, forget those queues and resolve again.
   */
  public Future<Map<String, Queue>> resolveQueues(List<PushItem> items) {
    Set<String> names = new LinkedHashSet<>();
    for (PushItem item : items) {
      names.add(item.queue());
    }
    return resolveQueues(names);
  }

  /** Resolves (auto-creating) the queues named, by name; as {@link #resolveQueues(List)}. */
  public Future<Map<String, Queue>> resolveQueues(Collection<String> names) {
    Map<String, Queue> resolved = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (String name : names) {
      chain = chain.compose(done -> queues.ensure(name).map(queue -> {
        resolved.put(name, queue);
        return null;
      }));
    }
    return chain.map(done -> resolved);
  }

  /**
   * Appends the items, and stores the producer states in {@code sequences}, in one statement of their own outside
   * any transaction: stored and committed, or not at all. Answers the written batch: its outcomes and what it
   * appended to each log.
   */
  Future<AppendBatch> appendAndCommit(SqlClient client, List<PushItem> items, Map<String, Queue> resolved,
      List<SequenceWrite> sequences) {
    return appendGuessing(client, items, resolved, sequences, ATTEMPTS);
  }

  private Future<AppendBatch> appendGuessing(SqlClient client, List<PushItem> items,
      Map<String, Queue> resolved, List<SequenceWrite> sequences, int attemptsLeft) {
    List<Target> targets = guess(items, resolved);
    return write(client, new AppendBatch(items, targets, resolved, sequences, cipher)).recover(failure -> {
      String state = failure instanceof PgException pg ? pg.getSqlState() : null;
      if (QUEUE_CHANGED.equals(state)) {
        return Future.failedFuture(changed(items));
      }
      if (SEQUENCE_CHANGED.equals(state)) {
        return Future.failedFuture(new SequenceStateChangedException());
      }
      if (!MISPLACED.equals(state) && !UNIQUE_VIOLATION.equals(state)) {
        return Future.failedFuture(failure);
      }
      if (attemptsLeft <= 1) {
        return Future.failedFuture(conflict(items, state));
      }
      Future<Void> learned = MISPLACED.equals(state) ? learnPlacements(client, targets) : Future.succeededFuture();
      return learned.compose(done -> appendGuessing(client, items, resolved, sequences, attemptsLeft - 1));
    });
  }

  /** Each item's Queen partition and log as far as Java knows: the placement cache, else the name's hash. */
  private List<Target> guess(List<PushItem> items, Map<String, Queue> resolved) {
    List<Target> targets = new ArrayList<>(items.size());
    for (PushItem item : items) {
      Queue queue = resolved.get(item.queue());
      KafkaOrigin kafka = item.kafka();
      if (kafka == null) {
        UUID partitionId = PartitionPlacement.partitionId(queue.id(), item.partition());
        targets.add(new Target(partitionId, item.partition(), home(partitionId, item.partition(), queue), null));
        continue;
      }
      int produced = kafka.kafkaPartition();
      UUID keyPartition = item.partition() == null ? null
          : PartitionPlacement.partitionId(queue.id(), item.partition());
      if (keyPartition != null && home(keyPartition, item.partition(), queue) == produced) {
        targets.add(new Target(keyPartition, item.partition(), produced, null));
      } else {
        targets.add(fallback(queue, produced, keyPartition));
      }
    }
    return targets;
  }

  private int home(UUID partitionId, String name, Queue queue) {
    Integer known = placements.kafkaPartition(partitionId);
    return known != null ? known : PartitionPlacement.kafkaPartition(name, queue.kafkaPartitions());
  }

  private static Target fallback(Queue queue, int produced, UUID keyElsewhere) {
    String name = PartitionPlacement.kafkaFallback(produced);
    return new Target(PartitionPlacement.partitionId(queue.id(), name), name, produced, keyElsewhere);
  }

  /** Looks up where the targets' Queen partitions (and records' key partitions) live, and remembers it. */
  private Future<Void> learnPlacements(SqlClient client, List<Target> targets) {
    Set<UUID> ids = new LinkedHashSet<>();
    for (Target target : targets) {
      ids.add(target.partitionId());
      if (target.keyElsewhere() != null) {
        ids.add(target.keyElsewhere());
      }
    }
    return client.preparedQuery(PLACEMENTS).execute(Tuple.of(ids.toArray(new UUID[0])))
        .map(rows -> {
          rows.forEach(row -> placements.remember(row.getUUID("id"), row.getInteger("kafka_partition")));
          return null;
        });
  }

  /** Places the items and locks the heads they append to, then appends them, inside the caller's transaction. */
  public Future<List<PushOutcome>> append(SqlConnection tx, List<PushItem> items, Map<String, Queue> resolved) {
    return place(tx, items, resolved)
        .compose(targets -> write(tx, new AppendBatch(items, targets, resolved, List.of(), cipher)))
        .map(AppendBatch::outcomes)
        .recover(failure -> Future.failedFuture(inTransaction(failure, items)));
  }

  /**
   * Decides every item's Queen partition and Kafka partition in Postgres and locks the high watermarks of every log
   * they append to, in a fixed order. A native item's Queen partition is placed (its row, else its hash over the
   * stored count); a Kafka record appends to the Kafka partition it names, in its key's Queen partition if that one is
   * placed there, else in the fallback partition.
   */
  private Future<List<Target>> place(SqlConnection tx, List<PushItem> items, Map<String, Queue> resolved) {
    Map<Wanted, Integer> ordOf = new HashMap<>();
    List<Integer> ords = new ArrayList<>();
    List<UUID> queueIds = new ArrayList<>();
    List<UUID> partitionIds = new ArrayList<>();
    List<Integer> hashes = new ArrayList<>();
    List<Integer> named = new ArrayList<>();
    List<Integer> forced = new ArrayList<>();
    int n = items.size();
    Wanted[] wanted = new Wanted[n];
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      PushItem item = items.get(i);
      Queue queue = resolved.get(item.queue());
      KafkaOrigin kafka = item.kafka();
      // a Kafka record without a usable key can only go to its fallback partition; ask for that one's placement
      names[i] = kafka != null && item.partition() == null ? PartitionPlacement.kafkaFallback(kafka.kafkaPartition())
          : item.partition();
      Integer producedInto = kafka == null ? null : kafka.kafkaPartition();
      wanted[i] = new Wanted(PartitionPlacement.partitionId(queue.id(), names[i]), producedInto);
      if (!ordOf.containsKey(wanted[i])) {
        ordOf.put(wanted[i], ords.size());
        ords.add(ords.size());
        queueIds.add(queue.id());
        partitionIds.add(wanted[i].partitionId());
        hashes.add(PartitionPlacement.placementHash(names[i]));
        named.add(PartitionPlacement.fallbackNumber(names[i]));
        forced.add(producedInto);
      }
    }
    // Tuple.of(a, b) with an array b would resolve to the varargs overload and spread b.
    Tuple params = Tuple.tuple().addValue(ords.toArray(new Integer[0])).addValue(queueIds.toArray(new UUID[0]))
        .addValue(partitionIds.toArray(new UUID[0])).addValue(hashes.toArray(new Integer[0]))
        .addValue(named.toArray(new Integer[0])).addValue(forced.toArray(new Integer[0]));
    return tx.preparedQuery(PLACE_AND_LOCK).execute(params).compose(rows -> {
      if (rows.size() < ords.size()) {
        return Future.failedFuture(changed(items));
      }
      int[] placed = new int[ords.size()];
      rows.forEach(row -> placed[row.getInteger("ord")] = row.getInteger("kafka_partition"));
      List<Target> targets = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        PushItem item = items.get(i);
        int at = placed[ordOf.get(wanted[i])];
        if (item.kafka() == null || at == item.kafka().kafkaPartition()) {
          targets.add(new Target(wanted[i].partitionId(), names[i], at, null));
        } else {
          targets.add(fallback(resolved.get(item.queue()), item.kafka().kafkaPartition(), wanted[i].partitionId()));
        }
      }
      return Future.succeededFuture(targets);
    });
  }

  /** Runs the append statement until the batch is written, dropping stored duplicates it names on the way. */
  private static Future<AppendBatch> write(SqlClient client, AppendBatch batch) {
    if (!batch.anythingToWrite()) {
      return Future.succeededFuture(batch);
    }
    return client.preparedQuery(APPEND).execute(batch.parameters())
        .compose(rows -> batch.written(rows) ? Future.succeededFuture(batch) : write(client, batch));
  }

  /** What a failed statement inside a transaction means to the caller, who rolls back and may try again. */
  private static Throwable inTransaction(Throwable failure, List<PushItem> items) {
    String state = failure instanceof PgException pg ? pg.getSqlState() : null;
    if (QUEUE_CHANGED.equals(state)) {
      return changed(items);
    }
    if (MISPLACED.equals(state) || UNIQUE_VIOLATION.equals(state)) {
      return conflict(items, state);
    }
    return failure;
  }

  private static QueueChangedException changed(List<PushItem> items) {
    Set<String> names = new LinkedHashSet<>();
    items.forEach(item -> names.add(item.queue()));
    return new QueueChangedException(names);
  }

  private static AppendConflictException conflict(List<PushItem> items, String state) {
    Set<String> names = new LinkedHashSet<>();
    items.forEach(item -> names.add(item.queue()));
    return new AppendConflictException(MISPLACED.equals(state)
        ? "a partition of " + names + " was placed concurrently"
        : "a transaction id of " + names + " was stored concurrently");
  }
}
