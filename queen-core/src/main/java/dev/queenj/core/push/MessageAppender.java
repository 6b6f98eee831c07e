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
 * Appends items inside a caller's transaction with two statements whatever the batch size: lock the high
 * watermarks, then one multi-row append (placement, dedup, offsets, messages, partition heads). Shared by
 * group-committed pushes, {@code /transaction} and Kafka produce, whose idempotent batches add their guards' checks.
 */
public final class MessageAppender {
  private static final String LOCK_HEADS = Sql.load(MessageAppender.class, "log_heads_lock.sql");
  private static final String APPEND = Sql.load(MessageAppender.class, "message_append.sql");

  private final QueueCatalog queues;

  private record LogKey(UUID queueId, int kafkaPartition) {}

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

  /** Locks the heads the items append to, then appends them. */
  public Future<List<PushOutcome>> append(SqlConnection tx, List<PushItem> items, Map<String, Queue> resolved) {
    return lock(tx, items, resolved).compose(locked -> insert(tx, items, resolved));
  }

  /**
   * Appends guarded batches in one transaction: locks every head they touch, lets every guard decide (pipelined, on
   * what was committed before the locks were taken), appends the admitted batches in one statement and lets their
   * guards record them (pipelined). Answers per batch its outcomes, empty where its guard declined. Two guards of one
   * {@linkplain AppendGuard#scope scope} would decide on the same state without seeing each other, so such a set is
   * refused with {@link OverlappingGuardsException}; written one at a time, they are decided correctly.
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
    return lock(tx, all, resolved)
        .compose(locked -> {
          List<Future<Boolean>> admits = new ArrayList<>(batches.size());
          batches.forEach(batch -> admits.add(batch.guard().admit(tx)));
          return Future.all(admits).map(done -> {
            List<Boolean> admitted = new ArrayList<>(admits.size());
            admits.forEach(admit -> admitted.add(admit.result()));
            return admitted;
          });
        })
        .compose(admitted -> {
          List<PushItem> items = new ArrayList<>();
          for (int i = 0; i < batches.size(); i++) {
            if (admitted.get(i)) {
              items.addAll(batches.get(i).items());
            }
          }
          Future<List<PushOutcome>> stored = items.isEmpty() ? Future.succeededFuture(List.of())
              : insert(tx, items, resolved);
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
        });
  }

  private static int kafkaPartition(PushItem item, Queue queue) {
    return item.kafka() != null ? item.kafka().kafkaPartition()
        : PartitionPlacement.kafkaPartition(item.partition(), queue.kafkaPartitions());
  }

  /** Locks the high watermarks of every log the items append to, in a fixed order. */
  private Future<Void> lock(SqlConnection tx, List<PushItem> items, Map<String, Queue> resolved) {
    List<UUID> lockQueues = new ArrayList<>();
    List<Integer> lockPartitions = new ArrayList<>();
    Set<LogKey> seenLogs = new LinkedHashSet<>();
    for (PushItem item : items) {
      Queue queue = resolved.get(item.queue());
      int kafkaPartition = kafkaPartition(item, queue);
      if (seenLogs.add(new LogKey(queue.id(), kafkaPartition))) {
        lockQueues.add(queue.id());
        lockPartitions.add(kafkaPartition);
      }
    }
    // Tuple.of(a, b) with an array b would resolve to the varargs overload and spread b.
    Tuple lock = Tuple.tuple().addValue(lockQueues.toArray(new UUID[0]))
        .addValue(lockPartitions.toArray(new Integer[0]));
    return tx.preparedQuery(LOCK_HEADS).execute(lock).compose(locked -> {
      if (locked.size() < lockQueues.size()) {
        Set<String> names = new LinkedHashSet<>();
        items.forEach(item -> names.add(item.queue()));
        return Future.failedFuture(new QueueVanishedException(names));
      }
      return Future.succeededFuture();
    });
  }

  /** The one multi-row append statement; the heads must be locked. */
  private Future<List<PushOutcome>> insert(SqlConnection tx, List<PushItem> items, Map<String, Queue> resolved) {
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
    Integer[] homePartitions = new Integer[n];
    UUID[] fallbackIds = new UUID[n];
    String[] fallbackNames = new String[n];
    Buffer[] keys = new Buffer[n];
    Buffer[] headers = new Buffer[n];
    Long[] timestamps = new Long[n];
    for (int i = 0; i < n; i++) {
      PushItem item = items.get(i);
      Queue queue = resolved.get(item.queue());
      KafkaOrigin kafka = item.kafka();
      ord[i] = i;
      queueIds[i] = queue.id();
      ids[i] = Uuid7.next();
      transactionIds[i] = item.transactionId() != null ? item.transactionId() : ids[i].toString();
      traceIds[i] = item.traceId();
      payloads[i] = item.payload() == null ? null : Buffer.buffer(item.payload());
      producerSubs[i] = item.producerSub();
      kafkaPartitions[i] = kafkaPartition(item, queue);
      if (kafka == null) {
        partitionNames[i] = item.partition();
        homePartitions[i] = kafkaPartitions[i];
        // Kafka consumers see a native push keyed by its conversation
        keys[i] = Buffer.buffer(item.partition().getBytes(StandardCharsets.UTF_8));
      } else {
        String fallback = PartitionPlacement.kafkaFallback(kafka.kafkaPartition());
        if (item.partition() == null) {
          partitionNames[i] = fallback;
          homePartitions[i] = kafka.kafkaPartition();
        } else {
          partitionNames[i] = item.partition();
          homePartitions[i] = PartitionPlacement.kafkaPartition(item.partition(), queue.kafkaPartitions());
          fallbackNames[i] = fallback;
          fallbackIds[i] = PartitionPlacement.partitionId(queue.id(), fallback);
        }
        keys[i] = kafka.key() == null ? null : Buffer.buffer(kafka.key());
        headers[i] = kafka.headers() == null ? null : Buffer.buffer(kafka.headers());
        timestamps[i] = kafka.timestamp();
      }
      partitionIds[i] = PartitionPlacement.partitionId(queue.id(), partitionNames[i]);
    }
    Tuple append = Tuple.tuple().addValue(ord).addValue(queueIds).addValue(partitionIds).addValue(partitionNames)
        .addValue(kafkaPartitions).addValue(ids).addValue(transactionIds).addValue(traceIds).addValue(payloads)
        .addValue(producerSubs).addValue(homePartitions).addValue(fallbackIds).addValue(fallbackNames)
        .addValue(keys).addValue(headers).addValue(timestamps);
    return tx.preparedQuery(APPEND).execute(append).map(rows -> outcomes(rows, items, transactionIds, traceIds));
  }

  private static List<PushOutcome> outcomes(RowSet<Row> rows, List<PushItem> items, String[] transactionIds,
      UUID[] traceIds) {
    List<PushOutcome> outcomes = new ArrayList<>(items.size());
    Iterator<Row> it = rows.iterator();
    for (int i = 0; i < items.size(); i++) {
      Row row = it.next();
      boolean queued = row.getBoolean("queued");
      outcomes.add(new PushOutcome(transactionIds[i], !queued, row.getUUID("message_id"), row.getUUID("partition_id"),
          traceIds[i], items.get(i).queue(), row.getLong("log_offset")));
    }
    return outcomes;
  }
}
