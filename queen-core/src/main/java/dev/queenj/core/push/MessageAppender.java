package dev.queenj.core.push;

import dev.queenj.core.Uuid7;
import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Appends items inside a caller's transaction with two statements whatever the batch size: place the Queen
 * partitions and lock the high watermarks, then one multi-row append (dedup, offsets, messages, partition heads).
 * Shared by group-committed pushes, {@code /transaction} and Kafka produce, whose idempotent batches add their guards'
 * checks between the two.
 *
 * <p>Placement happens in Postgres, not from the cached queue: a Queen partition that exists stays in the Kafka
 * partition its row names even after the queue's Kafka partition count grew, and a new one is placed over the count
 * stored now, so a stale cache cannot split a conversation over two logs. A Kafka record names its Kafka partition
 * itself; it lands in the Queen partition named by its key only when that partition lives (or, new, would be placed)
 * in that Kafka partition, else in {@link PartitionPlacement#kafkaFallback}. Should a concurrent append commit another
 * placement of a new Queen partition first, the append fails with {@link PartitionPlacedConcurrentlyException} and is
 * retried by the caller.
 */
public final class MessageAppender {
  private static final String PLACE_AND_LOCK = Sql.load(MessageAppender.class, "partitions_place_lock.sql");
  private static final String APPEND = Sql.load(MessageAppender.class, "message_append.sql");

  private final QueueCatalog queues;

  /** One placement request: a Queen partition, and for a Kafka record the Kafka partition it was produced into. */
  private record Wanted(UUID partitionId, Integer producedInto) {}

  /** Where one item goes: its Queen partition and the Kafka partition (log) it is appended to. */
  private record Target(UUID partitionId, String partitionName, int kafkaPartition) {}

  public MessageAppender(QueueCatalog queues) {
    this.queues = queues;
  }

  /**
   * Resolves (auto-creating) the queues named by the items; done before the transaction that appends. If the
   * append then fails with {@link QueueVanishedException}, forget those queues and resolve again.
   */
  public Future<Map<String, Queue>> resolveQueues(List<PushItem> items) {
    Set<String> names = new LinkedHashSet<>();
    for (PushItem item : items) {
      names.add(item.queue());
    }
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

  /** Places the items and locks the heads they append to, then appends them. */
  public Future<List<PushOutcome>> append(SqlConnection tx, List<PushItem> items, Map<String, Queue> resolved) {
    return place(tx, items, resolved).compose(targets -> insert(tx, items, targets, resolved));
  }

  /**
   * Appends guarded batches in one transaction: places their items and locks every head they touch, lets every guard
   * decide (pipelined, on what was committed before the locks were taken), appends the admitted batches in one
   * statement and lets their guards record them (pipelined). Answers per batch its outcomes, empty where its guard
   * declined. Two guards of one {@linkplain AppendGuard#scope scope} would decide on the same state without seeing
   * each other, so such a set is refused with {@link OverlappingGuardsException}; written one at a time, they are
   * decided correctly.
   */
  public Future<List<List<PushOutcome>>> appendGuarded(SqlConnection tx, List<GuardedPush> batches,
      Map<String, Queue> resolved) {
    Set<String> scopes = new LinkedHashSet<>();
    List<PushItem> all = new ArrayList<>();
    for (GuardedPush batch : batches) {
      if (!scopes.add(batch.guard().scope())) {
        return Future.failedFuture(new OverlappingGuardsException(batch.guard().scope()));
      }
      all.addAll(batch.items());
    }
    return place(tx, all, resolved)
        .compose(targets -> {
          List<Future<Boolean>> admits = new ArrayList<>(batches.size());
          batches.forEach(batch -> admits.add(batch.guard().admit(tx)));
          return Future.all(admits).compose(done -> {
            List<Boolean> admitted = new ArrayList<>(admits.size());
            admits.forEach(admit -> admitted.add(admit.result()));
            return insertAdmitted(tx, batches, admitted, targets, resolved);
          });
        });
  }

  private Future<List<List<PushOutcome>>> insertAdmitted(SqlConnection tx, List<GuardedPush> batches,
      List<Boolean> admitted, List<Target> allTargets, Map<String, Queue> resolved) {
    List<PushItem> items = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < batches.size(); i++) {
      int size = batches.get(i).items().size();
      if (admitted.get(i)) {
        items.addAll(batches.get(i).items());
        targets.addAll(allTargets.subList(at, at + size));
      }
      at += size;
    }
    Future<List<PushOutcome>> stored = items.isEmpty() ? Future.succeededFuture(List.of())
        : insert(tx, items, targets, resolved);
    return stored.compose(outcomes -> {
      List<List<PushOutcome>> perBatch = new ArrayList<>(batches.size());
      List<Future<Void>> recorded = new ArrayList<>();
      int from = 0;
      for (int i = 0; i < batches.size(); i++) {
        if (!admitted.get(i)) {
          perBatch.add(List.of());
          continue;
        }
        List<PushOutcome> slice = outcomes.subList(from, from + batches.get(i).items().size());
        from += slice.size();
        perBatch.add(slice);
        recorded.add(batches.get(i).guard().appended(tx, slice));
      }
      return Future.all(recorded).map(done -> perBatch);
    });
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
        Set<String> vanished = new LinkedHashSet<>();
        items.forEach(item -> vanished.add(item.queue()));
        return Future.failedFuture(new QueueVanishedException(vanished));
      }
      int[] placed = new int[ords.size()];
      rows.forEach(row -> placed[row.getInteger("ord")] = row.getInteger("kafka_partition"));
      List<Target> targets = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        PushItem item = items.get(i);
        int at = placed[ordOf.get(wanted[i])];
        if (item.kafka() == null || at == item.kafka().kafkaPartition()) {
          targets.add(new Target(wanted[i].partitionId(), names[i], at));
        } else {
          int produced = item.kafka().kafkaPartition();
          String fallback = PartitionPlacement.kafkaFallback(produced);
          UUID queueId = resolved.get(item.queue()).id();
          targets.add(new Target(PartitionPlacement.partitionId(queueId, fallback), fallback, produced));
        }
      }
      return Future.succeededFuture(targets);
    });
  }

  /** The one multi-row append statement; the items must be placed and their heads locked. */
  private Future<List<PushOutcome>> insert(SqlConnection tx, List<PushItem> items, List<Target> targets,
      Map<String, Queue> resolved) {
    int n = items.size();
    Integer[] ord = new Integer[n];
    UUID[] queueIds = new UUID[n];
    UUID[] partitionIds = new UUID[n];
    String[] partitionNames = new String[n];
    Integer[] kafkaPartitions = new Integer[n];
    UUID[] ids = new UUID[n];
    String[] transactionIds = new String[n];
    UUID[] traceIds = new UUID[n];
    Buffer[] payloads = new Buffer[n];
    String[] producerSubs = new String[n];
    Buffer[] keys = new Buffer[n];
    Buffer[] headers = new Buffer[n];
    Long[] timestamps = new Long[n];
    for (int i = 0; i < n; i++) {
      PushItem item = items.get(i);
      Target target = targets.get(i);
      KafkaOrigin kafka = item.kafka();
      ord[i] = i;
      queueIds[i] = resolved.get(item.queue()).id();
      partitionIds[i] = target.partitionId();
      partitionNames[i] = target.partitionName();
      kafkaPartitions[i] = target.kafkaPartition();
      ids[i] = Uuid7.next();
      transactionIds[i] = item.transactionId() != null ? item.transactionId() : ids[i].toString();
      traceIds[i] = item.traceId();
      payloads[i] = item.payload() == null ? null : Buffer.buffer(item.payload());
      producerSubs[i] = item.producerSub();
      if (kafka == null) {
        // Kafka consumers see a native push keyed by its conversation
        keys[i] = Buffer.buffer(item.partition().getBytes(StandardCharsets.UTF_8));
      } else {
        keys[i] = kafka.key() == null ? null : Buffer.buffer(kafka.key());
        headers[i] = kafka.headers() == null ? null : Buffer.buffer(kafka.headers());
        timestamps[i] = kafka.timestamp();
      }
    }
    Tuple append = Tuple.tuple().addValue(ord).addValue(queueIds).addValue(partitionIds).addValue(partitionNames)
        .addValue(kafkaPartitions).addValue(ids).addValue(transactionIds).addValue(traceIds).addValue(payloads)
        .addValue(producerSubs).addValue(keys).addValue(headers).addValue(timestamps);
    return tx.preparedQuery(APPEND).execute(append).compose(rows -> outcomes(rows, items, transactionIds, traceIds));
  }

  private static Future<List<PushOutcome>> outcomes(RowSet<Row> rows, List<PushItem> items,
      String[] transactionIds, UUID[] traceIds) {
    List<PushOutcome> outcomes = new ArrayList<>(items.size());
    Iterator<Row> it = rows.iterator();
    for (int i = 0; i < items.size(); i++) {
      Row row = it.next();
      if (row.getBoolean("misplaced")) {
        return Future.failedFuture(new PartitionPlacedConcurrentlyException(items.get(i).queue()));
      }
      boolean queued = row.getBoolean("queued");
      outcomes.add(new PushOutcome(transactionIds[i], !queued, row.getUUID("message_id"), row.getUUID("partition_id"),
          traceIds[i], items.get(i).queue(), row.getLong("log_offset")));
    }
    return Future.succeededFuture(outcomes);
  }
}
