package dev.queenj.core.push;

import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.push.ProducerStates.Scope;
import dev.queenj.core.queue.PartitionPlacement;
import dev.queenj.core.queue.Queue;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.stats.ThroughputCounters;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.GroupCommit;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Pushes through group commit: concurrent requests, native items and idempotent producers' batches alike, share one
 * statement and one commit. A request is answered only after its append committed; waiting consumers of the touched
 * queues are woken then too, and told what was appended to each log, so that one waiting at a log's end needs no
 * read.
 *
 * <p>The logs a request appends to are hashed onto {@link #LANES} group-commit lanes. Requests on different lanes
 * are written in parallel (Postgres uses more than one core, and one slow write does not hold up the rest); requests
 * that share a lane are merged, in order, so that two appends in flight never wait for each other's head locks, and
 * a producer's batches for one log are decided and stored in the order they were submitted. A request writing many
 * logs waits for all their lanes and takes them together.
 */
public final class PushService {
  /** Large enough to amortise a commit, small enough to keep one statement's parameters modest. */
  public static final int MAX_ITEMS_PER_TRANSACTION = 10_000;
  /**
   * Appends written at once, each on its own connection of the generic-plan pool: enough to keep every core of a
   * small Postgres busy, few enough to batch well.
   */
  public static final int LANES = Database.GENERIC_PLAN_CONNECTIONS;
  /** Times a group is decided again because a producer's stored state changed under it. */
  private static final int SEQUENCE_ATTEMPTS = 3;

  private final Database database;
  private final MessageAppender appender;
  private final QueueCatalog queues;
  private final AppendSignal signal;
  private final ProducerStates producers = new ProducerStates();
  private final GroupCommit<Append, Appended> groupCommit;
  private final ThroughputCounters counters;
  /** Told the number of messages of each committed append batch; the server binds it to its metrics. */
  private volatile IntConsumer committedBatches = size -> { };

  /** {@code counters} count the messages stored, once per committed write. */
  public PushService(Database database, MessageAppender appender, QueueCatalog queues, AppendSignal signal,
      ThroughputCounters counters) {
    this.database = database;
    this.counters = counters;
    this.appender = appender;
    this.queues = queues;
    this.signal = signal;
    this.groupCommit = new GroupCommit<>(this::write, MAX_ITEMS_PER_TRANSACTION);
  }

  /**
   * Tells {@code sizes} how many messages each committed append batch held (after group commit merged concurrent
   * requests): what the group commit buys under load. Set once, before pushes start; called on the thread that
   * saw the commit.
   */
  public void onCommittedBatch(IntConsumer sizes) {
    this.committedBatches = sizes;
  }

  /** Appends native items (or Kafka records of producers that are not idempotent); one outcome per item. */
  public Future<List<PushOutcome>> push(List<PushItem> items) {
    List<Append> units = new ArrayList<>(items.size());
    items.forEach(item -> units.add(new Append(List.of(item), null)));
    return groupCommit.submit(units, lanesOf(items)).map(results -> {
      List<PushOutcome> outcomes = new ArrayList<>(items.size());
      results.forEach(result -> outcomes.addAll(result.outcomes()));
      return outcomes;
    });
  }

  /**
   * Appends an idempotent producer's batch, all of whose {@code items} go to one log, once: answers its base offset,
   * the original one when the batch was stored before, and fails with the core's sequence errors when the batch does
   * not continue the producer's sequence or comes from a fenced epoch.
   */
  public Future<Long> push(List<PushItem> items, ProducerBatch batch) {
    return groupCommit.submit(List.of(new Append(items, batch)), lanesOf(items)).compose(results -> {
      Appended result = results.get(0);
      return result.refused() != null ? Future.failedFuture(result.refused())
          : Future.succeededFuture(result.baseOffset());
    });
  }

  /**
   * The lanes of the logs the items most likely append to: a Kafka record names its log; a native item's is its
   * partition's hash over the cached count. A wrong guess costs nothing but a wait on that log's head lock.
   */
  private long lanesOf(List<PushItem> items) {
    long lanes = 0;
    for (PushItem item : items) {
      int log;
      if (item.kafka() != null) {
        log = item.kafka().kafkaPartition();
      } else {
        Queue cached = queues.cached(item.queue());
        log = cached == null ? 0 : PartitionPlacement.kafkaPartition(item.partition(), cached.kafkaPartitions());
      }
      lanes |= 1L << Math.floorMod(31 * item.queue().hashCode() + log, LANES);
    }
    return lanes == 0 ? GroupCommit.ONLY_LANE : lanes;
  }

  private Future<List<Appended>> write(List<Append> units) {
    List<PushItem> all = new ArrayList<>();
    units.forEach(unit -> all.addAll(unit.items()));
    return AppendRetry.once(queues, () -> appender.resolveQueues(all)
        .compose(resolved -> write(units, resolved, SEQUENCE_ATTEMPTS, false)));
  }

  /**
   * Decides the producers' batches on their states (cached unless {@code fresh}) and writes what to write. A batch
   * refused on a cached state is decided again on the stored one before the refusal stands; a write that finds a
   * producer's state changed is decided again too.
   */
  private Future<List<Appended>> write(List<Append> units, Map<String, Queue> resolved, int attemptsLeft,
      boolean fresh) {
    Set<Scope> scopes = new LinkedHashSet<>();
    units.forEach(unit -> {
      if (unit.producer() != null) {
        scopes.add(SequencedAppend.scopeOf(unit, resolved));
      }
    });
    return producers.get(database.pool(), scopes, fresh).compose(stored -> {
      SequencedAppend decided = new SequencedAppend(units, resolved, stored);
      if (decided.refusedAny() && !fresh) {
        return write(units, resolved, attemptsLeft, true);
      }
      Future<List<PushOutcome>> written = decided.items().isEmpty() ? Future.succeededFuture(List.of())
          : appender.appendAndCommit(database.genericPlanPool(), decided.items(), resolved, decided.sequences())
              // committed: whatever waking the waiters meets cannot fail the push
              .onSuccess(batch -> {
                committedBatches.accept(decided.items().size());
                signal.appended(batch.queuesWritten(), batch::logAppends);
              })
              .map(AppendBatch::outcomes)
              .onSuccess(outcomes -> PushOutcome.countStored(outcomes, counters));
      return written
          .map(outcomes -> {
            Map<Scope, ProducerState> storedNow = new HashMap<>();
            List<Appended> results = decided.results(outcomes, storedNow);
            storedNow.forEach(producers::remember);
            return results;
          })
          .recover(failure -> {
            // whatever a failed write left, the cached states of its producers are not to be trusted
            producers.forget(scopes);
            if (failure instanceof SequenceStateChangedException && attemptsLeft > 1) {
              return write(units, resolved, attemptsLeft - 1, true);
            }
            return Future.failedFuture(failure);
          });
    });
  }
}
