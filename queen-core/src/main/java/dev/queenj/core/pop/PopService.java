package dev.queenj.core.pop;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.pop.PopResult.Reason;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.stats.ThroughputCounters;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pops: find candidate partitions, then claim, read and settle in one statement. A wildcard pop first discovers what
 * was appended since the group last looked ({@code partitions_discover.sql}), which keeps the group's cursors' heads
 * up to date, so candidates come from an index of the partitions with something pending for the group, whatever the
 * number of partitions. A pop of a named partition creates the group's cursor on it when it has none. Every statement
 * is its own transaction, and none makes anything visible that a failed pop would have to undo: a steady-state pop is
 * two round trips (candidates, claim), three after new appends (discovery first). Queue options come from a copy at
 * most {@link QueueCatalog#RECENT} old. A pop never creates a queue or partition and never waits on another
 * consumer's lease. Concurrent wildcard pops of a group share one candidate search and claim disjoint partitions
 * ({@link PopsInFlight}).
 *
 * <p>What a pop writes without delivering for good (discovered heads, scan offsets, leases) is bookkeeping that a
 * crash may lose without losing a message: it commits without waiting for the WAL flush. Losing a lease means its
 * messages are delivered again, which at-least-once delivery allows; a pop with autoAck settles the cursor and waits
 * for the flush like an ack.
 */
public final class PopService {
  private static final String CANDIDATES = Sql.load(PopService.class, "pop_candidates.sql");
  private static final String PARTITION = Sql.load(PopService.class, "partition_select.sql");
  private static final String SUBSCRIPTION_ENSURE = Sql.load(PopService.class, "subscription_ensure.sql");
  private static final String SUBSCRIPTION_SELECT = Sql.load(PopService.class, "subscription_select.sql");
  private static final String CONSUMER_INIT = Sql.load(PopService.class, "consumer_init.sql");
  private static final String CLAIM_READ = Sql.load(PopService.class, "consumer_claim_read.sql");
  private static final String DISCOVER = Sql.load(PopService.class, "partitions_discover.sql");
  private static final String SCANS_ENSURE = Sql.load(PopService.class, "group_log_scans_ensure.sql");
  /**
   * Extra candidates fetched beyond the partitions wanted, one per this many wanted, plus one: losing a race for some
   * (to another instance, or to a row locked for a moment) still fills the pop. Pops of this instance never race each
   * other ({@link PopsInFlight}); each extra candidate costs a lookup in the search and one in the claim.
   */
  private static final int WANTED_PER_EXTRA_CANDIDATE = 8;
  /** New messages read per log by one discovery: bounds its cost whatever was appended meanwhile. */
  static final int DISCOVERED_PER_LOG = 1_000;
  /** Discoveries a pop runs while logs hold more new messages than one reads and no candidate turned up yet. */
  private static final int MAX_DISCOVERIES = 20;

  private final Database database;
  private final PayloadCipher cipher;
  private final QueueCatalog queues;
  private final AppendSignal signal;
  private final Discoveries discoveries = new Discoveries();
  private final PopsInFlight inFlight = new PopsInFlight();
  private final ThroughputCounters counters;

  /** {@code cipher} opens the payloads stored encrypted; {@code counters} count the messages delivered. */
  public PopService(Database database, QueueCatalog queues, AppendSignal signal, PayloadCipher cipher,
      ThroughputCounters counters) {
    this.database = database;
    this.counters = counters;
    this.cipher = cipher;
    this.queues = queues;
    this.signal = signal;
  }

  public Future<PopResult> pop(PopRequest request) {
    return queues.recent(request.queue()).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(new PopResult.Unavailable(
            request.partition() == null ? Reason.NO_AVAILABLE_PARTITION : Reason.PARTITION_NOT_FOUND));
      }
      Queue queue = found.get();
      SqlClient db = database.pool();
      return subscriptionStart(db, queue, request).compose(start -> popFrom(db, queue, request, start));
    });
  }

  private Future<OffsetDateTime> subscriptionStart(SqlClient db, Queue queue, PopRequest request) {
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
    Tuple group = Tuple.of(request.consumerGroup(), queue.id());
    return db.preparedQuery(SUBSCRIPTION_ENSURE).execute(Tuple.of(request.consumerGroup(), queue.id(), mode, requested))
        .compose(inserted -> db.preparedQuery(SUBSCRIPTION_SELECT).execute(group))
        .map(rows -> rows.iterator().next().getOffsetDateTime("start_at"));
  }

  private Future<PopResult> popFrom(SqlClient db, Queue queue, PopRequest request, OffsetDateTime start) {
    if (request.partition() == null) {
      return candidates(db, queue, request, start, MAX_DISCOVERIES, false).compose(candidates -> candidates.isEmpty()
          ? Future.succeededFuture(new PopResult.Unavailable(Reason.NO_AVAILABLE_PARTITION))
          : claimAndRead(db, queue, request, start, candidates, List.of(), Reason.NO_AVAILABLE_PARTITION)
              .onComplete(done -> inFlight.release(queue.id(), request.consumerGroup(), candidates.keySet())));
    }
    return db.preparedQuery(PARTITION)
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
          return claimAndRead(db, queue, request, start, Map.of(id, request.partition()),
              row.getBoolean("fresh") ? List.of(id) : List.of(), Reason.LEASE_HELD);
        });
  }

  /**
   * Candidate partitions by id and name, in preference order. Discovers first what this instance knows was appended
   * since the last discovery; finding none, discovers anyway (other instances append too) and again while logs hold
   * more new messages than one discovery reads.
   */
  private Future<Map<UUID, String>> candidates(SqlClient db, Queue queue, PopRequest request, OffsetDateTime start,
      int discoveriesLeft, boolean alwaysDiscover) {
    Future<Boolean> discovery = discoveries.covering(queue.id(), request.consumerGroup(),
        signal.appends(queue.name()), alwaysDiscover, () -> discover(db, queue, request.consumerGroup(), start, true));
    boolean discovered = discovery != null;
    return (discovered ? discovery : Future.succeededFuture(false))
        .compose(more -> inFlight.candidates(queue.id(), request.consumerGroup(), candidatesWanted(request),
            (limit, reserved) -> search(db, queue, request, limit, reserved))
            .compose(share -> {
              boolean worthAnother = (more || !discovered) && share.searchFoundNone();
              return share.partitions().isEmpty() && worthAnother && discoveriesLeft > 1
                  ? candidates(db, queue, request, start, discoveriesLeft - 1, true)
                  : Future.succeededFuture(share.partitions());
            }));
  }

  private static int candidatesWanted(PopRequest request) {
    return request.maxPartitions() + 1 + request.maxPartitions() / WANTED_PER_EXTRA_CANDIDATE;
  }

  private Future<Map<UUID, String>> search(SqlClient db, Queue queue, PopRequest request, int limit,
      UUID[] reserved) {
    Tuple params = Tuple.tuple().addValue(queue.id()).addValue(request.consumerGroup())
        .addValue(queue.options().windowBuffer()).addValue(queue.options().delayedProcessing()).addValue(limit)
        .addValue(reserved);
    return db.preparedQuery(CANDIDATES).execute(params).map(rows -> {
      Map<UUID, String> found = new LinkedHashMap<>();
      rows.forEach(row -> found.put(row.getUUID("id"), row.getString("name")));
      return found;
    });
  }

  /**
   * Reads what was appended to the queue since the group last looked into its cursors' heads; answers whether some
   * log holds more new messages than one discovery reads. Creates the group's scan rows first where a log has none.
   */
  private Future<Boolean> discover(SqlClient db, Queue queue, String group, OffsetDateTime start,
      boolean mayCreateScans) {
    return db.preparedQuery(DISCOVER).execute(Tuple.of(queue.id(), group, start, DISCOVERED_PER_LOG))
        .compose(rows -> {
          Row row = rows.iterator().next();
          if (row.getLong("unscanned_logs") > 0 && mayCreateScans) {
            return db.preparedQuery(SCANS_ENSURE).execute(Tuple.of(queue.id(), group))
                .compose(created -> discover(db, queue, group, start, false));
          }
          return Future.succeededFuture(row.getBoolean("more"));
        });
  }

  private Future<PopResult> claimAndRead(SqlClient db, Queue queue, PopRequest request, OffsetDateTime start,
      Map<UUID, String> candidates, List<UUID> fresh, Reason whenNoneClaimed) {
    UUID leaseId = UUID.randomUUID();
    Tuple claim = Tuple.tuple().addValue(candidates.keySet().toArray(new UUID[0])).addValue(request.consumerGroup())
        .addValue(request.maxPartitions()).addValue(leaseId).addValue(queue.options().effectiveLeaseSeconds())
        .addValue(request.workerId()).addValue(queue.options().delayedProcessing()).addValue(request.batch())
        .addValue(request.autoAck());
    Future<?> initialized = fresh.isEmpty() ? Future.succeededFuture()
        : db.preparedQuery(CONSUMER_INIT)
            .execute(Tuple.of(fresh.toArray(new UUID[0]), request.consumerGroup(), queue.id(), start));
    return initialized
        .compose(created -> db.preparedQuery(CLAIM_READ).execute(claim))
        .map(rows -> toResult(rows, queue, request, candidates, leaseId, whenNoneClaimed));
  }

  private PopResult toResult(RowSet<Row> rows, Queue queue, PopRequest request, Map<UUID, String> names,
      UUID leaseId, Reason whenNoneClaimed) {
    String visibleLeaseId = request.autoAck() ? "" : leaseId.toString();
    List<PoppedMessage> messages = new ArrayList<>(rows.size());
    Set<UUID> claimed = new LinkedHashSet<>();
    Set<UUID> delivering = new LinkedHashSet<>();
    for (Row row : rows) {
      UUID partitionId = row.getUUID("partition_id");
      claimed.add(partitionId);
      if (row.getValue("id") == null) {
        continue;
      }
      delivering.add(partitionId);
      Buffer payload = row.getBuffer("payload");
      messages.add(new PoppedMessage(row.getUUID("id"), row.getString("transaction_id"), row.getUUID("trace_id"),
          payload == null ? null : cipher.open(row.getInteger("payload_key_id"), payload.getBytes()),
          row.getString("producer_sub"),
          row.getOffsetDateTime("created_at"), partitionId, names.get(partitionId), visibleLeaseId,
          row.getInteger("retry_count"), Boolean.TRUE.equals(row.getBoolean("kafka_origin"))));
    }
    if (claimed.isEmpty()) {
      return new PopResult.Unavailable(whenNoneClaimed);
    }
    counters.popped(queue.name(), messages.size());
    UUID first = messages.isEmpty() ? claimed.iterator().next() : messages.get(0).partitionId();
    return new PopResult.Claimed(queue.name(), request.consumerGroup(), names.get(first), first, visibleLeaseId,
        messages.isEmpty() ? claimed.size() : delivering.size(), messages);
  }
}
