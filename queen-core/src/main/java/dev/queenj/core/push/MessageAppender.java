package dev.queenj.core.push;

import dev.queenj.core.Uuid7;
import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Appends items inside a caller's transaction with two statements whatever the batch size: place the Queen
 * partitions and lock the high watermarks, then one multi-row append (dedup, offsets, messages, partition heads).
 * Shared by group-committed pushes and by {@code /transaction}.
 *
 * <p>Placement happens in Postgres, not from the cached queue: a Queen partition that exists stays in the Kafka
 * partition its row names even after the queue's Kafka partition count grew, and a new one is placed over the count
 * stored now, so a stale cache cannot split a conversation over two logs.
 */
public final class MessageAppender {
  private static final String PLACE_AND_LOCK = Sql.load(MessageAppender.class, "partitions_place_lock.sql");
  private static final String APPEND = Sql.load(MessageAppender.class, "message_append.sql");

  private final QueueCatalog queues;

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

  public Future<List<PushOutcome>> append(SqlConnection tx, List<PushItem> items, Map<String, Queue> resolved) {
    int n = items.size();
    Integer[] ord = new Integer[n];
    UUID[] queueIds = new UUID[n];
    UUID[] partitionIds = new UUID[n];
    String[] partitionNames = new String[n];
    UUID[] ids = new UUID[n];
    String[] transactionIds = new String[n];
    UUID[] traceIds = new UUID[n];
    Buffer[] payloads = new Buffer[n];
    String[] producerSubs = new String[n];
    List<UUID> placeQueues = new ArrayList<>();
    List<UUID> placePartitions = new ArrayList<>();
    List<Integer> placeHashes = new ArrayList<>();
    Set<UUID> seenPartitions = new HashSet<>();
    for (int i = 0; i < n; i++) {
      PushItem item = items.get(i);
      Queue queue = resolved.get(item.queue());
      ord[i] = i;
      queueIds[i] = queue.id();
      partitionNames[i] = item.partition();
      partitionIds[i] = PartitionPlacement.partitionId(queue.id(), item.partition());
      ids[i] = Uuid7.next();
      transactionIds[i] = item.transactionId() != null ? item.transactionId() : ids[i].toString();
      traceIds[i] = item.traceId();
      payloads[i] = item.payload() == null ? null : Buffer.buffer(item.payload());
      producerSubs[i] = item.producerSub();
      if (seenPartitions.add(partitionIds[i])) {
        placeQueues.add(queue.id());
        placePartitions.add(partitionIds[i]);
        placeHashes.add(PartitionPlacement.placementHash(item.partition()));
      }
    }
    // Tuple.of(a, b) with an array b would resolve to the varargs overload and spread b.
    Tuple lock = Tuple.tuple().addValue(placeQueues.toArray(new UUID[0]))
        .addValue(placePartitions.toArray(new UUID[0])).addValue(placeHashes.toArray(new Integer[0]));
    return tx.preparedQuery(PLACE_AND_LOCK).execute(lock)
        .compose(placed -> {
          if (placed.size() < placePartitions.size()) {
            Set<String> names = new LinkedHashSet<>();
            items.forEach(item -> names.add(item.queue()));
            return Future.failedFuture(new QueueVanishedException(names));
          }
          Map<UUID, Integer> kafkaPartitionOf = new HashMap<>();
          placed.forEach(row -> kafkaPartitionOf.put(row.getUUID("partition_id"), row.getInteger("kafka_partition")));
          Integer[] kafkaPartitions = new Integer[n];
          for (int i = 0; i < n; i++) {
            kafkaPartitions[i] = kafkaPartitionOf.get(partitionIds[i]);
          }
          Tuple append = Tuple.tuple().addValue(ord).addValue(queueIds).addValue(partitionIds)
              .addValue(partitionNames).addValue(kafkaPartitions).addValue(ids).addValue(transactionIds)
              .addValue(traceIds).addValue(payloads).addValue(producerSubs);
          return tx.preparedQuery(APPEND).execute(append);
        })
        .compose(rows -> {
          List<PushOutcome> outcomes = new ArrayList<>(n);
          Iterator<Row> it = rows.iterator();
          for (int i = 0; i < n; i++) {
            Row row = it.next();
            if (row.getBoolean("misplaced")) {
              return Future.failedFuture(new PartitionPlacedConcurrentlyException(items.get(i).queue()));
            }
            boolean queued = row.getBoolean("queued");
            outcomes.add(new PushOutcome(transactionIds[i], !queued, row.getUUID("message_id"), partitionIds[i],
                traceIds[i], items.get(i).queue()));
          }
          return Future.succeededFuture(outcomes);
        });
  }
}
