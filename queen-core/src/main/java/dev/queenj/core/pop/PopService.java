package dev.queenj.core.pop;

import dev.queenj.core.pop.PopResult.Reason;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pops: choose partitions, lease them for the group, read past each cursor, settle the leases — one transaction.
 * A pop never creates a queue or partition and never waits on another consumer's lease.
 */
public final class PopService {
  private static final String CANDIDATES = Sql.load(PopService.class, "pop_candidates.sql");
  private static final String PARTITION = Sql.load(PopService.class, "partition_select.sql");
  private static final String SUBSCRIPTION_ENSURE = Sql.load(PopService.class, "subscription_ensure.sql");
  private static final String SUBSCRIPTION_SELECT = Sql.load(PopService.class, "subscription_select.sql");
  private static final String CONSUMER_INIT = Sql.load(PopService.class, "consumer_init.sql");
  private static final String CLAIM = Sql.load(PopService.class, "consumer_claim.sql");
  private static final String READ = Sql.load(PopService.class, "message_read.sql");
  private static final String SETTLE = Sql.load(PopService.class, "consumer_claim_settle.sql");
  /** Extra candidates fetched beyond the partitions wanted, so that losing a race for some still fills the pop. */
  private static final int CANDIDATE_SLACK = 32;

  private final Database database;
  private final QueueCatalog queues;

  public PopService(Database database, QueueCatalog queues) {
    this.database = database;
    this.queues = queues;
  }

  public Future<PopResult> pop(PopRequest request) {
    return queues.find(request.queue()).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(new PopResult.Unavailable(
            request.partition() == null ? Reason.NO_AVAILABLE_PARTITION : Reason.PARTITION_NOT_FOUND));
      }
      Queue queue = found.get();
      return database.inTransaction(tx -> subscriptionStart(tx, queue, request)
          .compose(start -> popFrom(tx, queue, request, start)));
    });
  }

  private Future<OffsetDateTime> subscriptionStart(SqlConnection tx, Queue queue, PopRequest request) {
    if (request.queueMode()) {
      return Future.succeededFuture(null);
    }
    String mode;
    OffsetDateTime requested;
    if (request.subscription() instanceof SubscriptionStart.At at) {
      mode = SubscriptionStart.MODE_TIMESTAMP;
      requested = at.at();
    } else if (request.subscription() instanceof SubscriptionStart.Now) {
      mode = SubscriptionStart.MODE_NEW;
      requested = OffsetDateTime.now();
    } else {
      mode = SubscriptionStart.MODE_ALL;
      requested = null;
    }
    return tx.preparedQuery(SUBSCRIPTION_ENSURE).execute(Tuple.of(request.consumerGroup(), queue.id(), mode, requested))
        .compose(inserted -> tx.preparedQuery(SUBSCRIPTION_SELECT).execute(Tuple.of(request.consumerGroup(), queue.id())))
        .map(rows -> rows.iterator().next().getOffsetDateTime("start_at"));
  }

  private Future<PopResult> popFrom(SqlConnection tx, Queue queue, PopRequest request, OffsetDateTime start) {
    if (request.partition() == null) {
      Tuple params = Tuple.of(queue.id(), request.consumerGroup(), queue.options().windowBuffer(),
          queue.options().delayedProcessing(), request.maxPartitions() + CANDIDATE_SLACK);
      return tx.preparedQuery(CANDIDATES).execute(params).compose(rows -> {
        Map<UUID, String> candidates = new LinkedHashMap<>();
        List<UUID> fresh = new ArrayList<>();
        for (Row row : rows) {
          candidates.put(row.getUUID("id"), row.getString("name"));
          if (row.getBoolean("fresh")) {
            fresh.add(row.getUUID("id"));
          }
        }
        if (candidates.isEmpty()) {
          return Future.succeededFuture(new PopResult.Unavailable(Reason.NO_AVAILABLE_PARTITION));
        }
        return claimAndRead(tx, queue, request, start, candidates, fresh, Reason.NO_AVAILABLE_PARTITION);
      });
    }
    return tx.preparedQuery(PARTITION)
        .execute(Tuple.of(queue.id(), request.partition(), queue.options().windowBuffer(), request.consumerGroup()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(new PopResult.Unavailable(Reason.PARTITION_NOT_FOUND));
          }
          Row row = rows.iterator().next();
          UUID id = row.getUUID("id");
          if (row.getBoolean("window_active")) {
            return Future.succeededFuture(
                new PopResult.WindowBufferActive(queue.name(), request.consumerGroup(), request.partition(), id));
          }
          return claimAndRead(tx, queue, request, start, Map.of(id, request.partition()),
              row.getBoolean("fresh") ? List.of(id) : List.of(), Reason.LEASE_HELD);
        });
  }

  private Future<PopResult> claimAndRead(SqlConnection tx, Queue queue, PopRequest request, OffsetDateTime start,
      Map<UUID, String> candidates, List<UUID> fresh, Reason whenNoneClaimed) {
    UUID[] ids = candidates.keySet().toArray(new UUID[0]);
    UUID leaseId = UUID.randomUUID();
    Tuple claim = Tuple.of(ids, request.consumerGroup(), request.maxPartitions(), leaseId,
        queue.options().effectiveLeaseSeconds(), request.workerId());
    Future<?> initialized = fresh.isEmpty() ? Future.succeededFuture()
        : tx.preparedQuery(CONSUMER_INIT)
            .execute(Tuple.of(fresh.toArray(new UUID[0]), request.consumerGroup(), queue.id(), start));
    return initialized
        .compose(created -> tx.preparedQuery(CLAIM).execute(claim))
        .compose(claimedRows -> {
          Map<UUID, Row> byId = new HashMap<>();
          claimedRows.forEach(row -> byId.put(row.getUUID("partition_id"), row));
          List<Claim> claimed = new ArrayList<>();
          for (UUID id : ids) {
            Row row = byId.get(id);
            if (row != null) {
              claimed.add(new Claim(id, candidates.get(id), row.getLong("cursor_offset"),
                  row.getInteger("retry_count")));
            }
          }
          if (claimed.isEmpty()) {
            return Future.succeededFuture(new PopResult.Unavailable(whenNoneClaimed));
          }
          return read(tx, queue, request, claimed, leaseId);
        });
  }

  private record Claim(UUID partitionId, String name, long cursor, int retryCount) {}

  private Future<PopResult> read(SqlConnection tx, Queue queue, PopRequest request, List<Claim> claimed,
      UUID leaseId) {
    int n = claimed.size();
    UUID[] ids = new UUID[n];
    Long[] cursors = new Long[n];
    Map<UUID, Claim> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Claim claim = claimed.get(i);
      ids[i] = claim.partitionId();
      cursors[i] = claim.cursor();
      byId.put(claim.partitionId(), claim);
    }
    String visibleLeaseId = request.autoAck() ? "" : leaseId.toString();
    Tuple read = Tuple.of(ids, cursors, queue.options().delayedProcessing(), request.batch());
    return tx.preparedQuery(READ).execute(read).compose(rows -> {
      List<PoppedMessage> messages = new ArrayList<>(rows.size());
      Map<UUID, long[]> lastAndCount = new HashMap<>();
      for (Row row : rows) {
        UUID partitionId = row.getUUID("partition_id");
        Claim claim = byId.get(partitionId);
        Buffer payload = row.getBuffer("payload");
        messages.add(new PoppedMessage(row.getUUID("id"), row.getString("transaction_id"), row.getUUID("trace_id"),
            payload == null ? null : payload.getBytes(), row.getString("producer_sub"),
            row.getOffsetDateTime("created_at"), partitionId, claim.name(), visibleLeaseId, claim.retryCount()));
        long[] acc = lastAndCount.computeIfAbsent(partitionId, id -> new long[2]);
        acc[0] = row.getLong("log_offset");
        acc[1]++;
      }
      Long[] lastOffsets = new Long[n];
      Integer[] counts = new Integer[n];
      int delivering = 0;
      for (int i = 0; i < n; i++) {
        long[] acc = lastAndCount.get(ids[i]);
        lastOffsets[i] = acc == null ? null : acc[0];
        counts[i] = acc == null ? 0 : (int) acc[1];
        delivering += acc == null ? 0 : 1;
      }
      Claim first = messages.isEmpty() ? claimed.get(0) : byId.get(messages.get(0).partitionId());
      PopResult result = new PopResult.Claimed(queue.name(), request.consumerGroup(), first.name(),
          first.partitionId(), visibleLeaseId, messages.isEmpty() ? n : delivering, messages);
      Tuple settle = Tuple.of(ids, lastOffsets, counts, request.consumerGroup(), request.autoAck());
      return tx.preparedQuery(SETTLE).execute(settle).map(settled -> result);
    });
  }
}
