package dev.queenj.core.dlq;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.error.InvalidRequestException;
import dev.queenj.core.error.NotFoundException;
import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.push.AppendRetry;
import dev.queenj.core.push.MessageAppender;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.push.PushOutcome;
import dev.queenj.core.queue.QueueCatalog;
import dev.queenj.core.stats.ThroughputCounters;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The dead-letter queue: read a page at a time (the page and the total from one snapshot), requeued or discarded one
 * dead letter at a time.
 *
 * <p>A dead letter is named as {@code GET /dlq} lists it: its message's partition id and transaction id, and the
 * consumer group that gave up on it. The group may be left out when only one group did; when several did, it is
 * required (each group's dead letter is its own, and requeueing one must not silently pick another).
 *
 * <p>Requeue is a redrive, as SQS redrives a dead-letter queue or a Kafka user republishes to the topic: the message is
 * appended again, as a new message (a new transaction id and a new offset) at the end of its Queen partition, visible
 * to every consumer group of the queue, and the dead letter is removed, in one Postgres transaction: both or neither.
 */
public final class DeadLetterService {
  private static final String SELECT = Sql.load(DeadLetterService.class, "dead_letter_select.sql");
  private static final String GROUPS = Sql.load(DeadLetterService.class, "dead_letter_groups.sql");
  private static final String DELETE = Sql.load(DeadLetterService.class, "dead_letters_delete.sql");
  static final String NOT_FOUND = "Dead letter not found";

  private final Database database;
  private final PayloadCipher cipher;
  private final MessageAppender appender;
  private final QueueCatalog queues;
  private final AppendSignal signal;
  private final ThroughputCounters counters;

  /** A dead letter found: the group it belongs to, and where its message goes back to. */
  private record Located(String group, String queue, String partition) {}

  /** A dead letter requeued: the group whose dead letter it was, and the message appended again. */
  public record Requeued(String consumerGroup, PushOutcome message) {}

  /**
   * {@code cipher} opens the payloads stored encrypted; a requeue appends through {@code appender} (which seals them
   * again as the queue asks), wakes waiting consumers through {@code signal} and counts a push in {@code counters}.
   */
  public DeadLetterService(Database database, PayloadCipher cipher, MessageAppender appender, QueueCatalog queues,
      AppendSignal signal, ThroughputCounters counters) {
    this.database = database;
    this.cipher = cipher;
    this.appender = appender;
    this.queues = queues;
    this.signal = signal;
    this.counters = counters;
  }

  public Future<DeadLetterPage> list(DeadLetterFilter filter) {
    Tuple params = Tuple.tuple().addValue(filter.queue()).addValue(filter.consumerGroup())
        .addValue(filter.partition()).addValue(filter.from()).addValue(filter.to()).addValue(filter.limit())
        .addValue(filter.offset());
    return database.pool().preparedQuery(SELECT).execute(params).map(this::toPage);
  }

  /**
   * Appends the dead letter's message to its queue and partition again and removes the dead letter, in one
   * transaction. Fails with {@link NotFoundException} when there is no such dead letter (also when a concurrent
   * requeue or discard took it first: a dead letter is requeued once), {@link InvalidRequestException} when
   * {@code group} is null and several groups dead-lettered the message.
   *
   * @param group the consumer group whose dead letter it is; null when only one group dead-lettered the message
   * @param asPushed turns the stored payload (a native push's JSON text, or a Kafka record's value, which may be any
   *     bytes) into what a native push of it stores; the protocol's to decide, as it renders payloads
   */
  public Future<Requeued> requeue(UUID partitionId, String transactionId, String group,
      UnaryOperator<byte[]> asPushed) {
    return AppendRetry.once(queues, () -> locate(partitionId, transactionId, group)
        .compose(found -> found.partition() != null ? Future.succeededFuture(found)
            // dead-lettered before V024 kept partition names, and its partition was removed since
            : Future.failedFuture(new InvalidRequestException("the dead letter's partition no longer exists and its "
                + "name was not kept: it cannot be requeued, only discarded")))
        .compose(found -> queues.find(found.queue()).compose(queue -> {
          if (queue.isEmpty()) {
            return Future.failedFuture(new NotFoundException(NOT_FOUND)); // deleted with its dead letters meanwhile
          }
          return database.inTransaction(tx -> tx.preparedQuery(DELETE)
              .execute(Tuple.of(partitionId, transactionId, found.group()))
              .compose(taken -> {
                if (taken.size() == 0) {
                  return Future.failedFuture(new NotFoundException(NOT_FOUND));
                }
                Row row = taken.iterator().next();
                Buffer stored = row.getBuffer("payload");
                byte[] payload = stored == null ? null
                    : asPushed.apply(cipher.open(row.getInteger("payload_key_id"), stored.getBytes()));
                PushItem item = new PushItem(found.queue(), found.partition(), null, row.getUUID("trace_id"),
                    payload, null);
                return appender.append(tx, List.of(item), Map.of(found.queue(), queue.get()));
              }))
              .map(outcomes -> new Requeued(found.group(), outcomes.get(0)));
        })))
        // committed: wake whoever waits on the queue and count the push, as a push does
        .onSuccess(requeued -> signal.appended(Set.of(requeued.message().queue())))
        .onSuccess(requeued -> counters.pushed(requeued.message().queue(), 1));
  }

  /**
   * Removes the dead letter without requeueing its message; answers the group whose dead letter it was. Fails as
   * {@link #requeue} does when there is no such dead letter or the group is ambiguous.
   */
  public Future<String> discard(UUID partitionId, String transactionId, String group) {
    return locate(partitionId, transactionId, group).compose(found -> database.pool().preparedQuery(DELETE)
        .execute(Tuple.of(partitionId, transactionId, found.group()))
        .compose(deleted -> deleted.size() == 0 ? Future.failedFuture(new NotFoundException(NOT_FOUND))
            : Future.succeededFuture(found.group())));
  }

  /** The group's dead letter of the message, with its queue and partition; failed when missing or ambiguous. */
  private Future<Located> locate(UUID partitionId, String transactionId, String group) {
    return database.pool().preparedQuery(GROUPS).execute(Tuple.of(partitionId, transactionId)).compose(rows -> {
      List<Located> found = new ArrayList<>();
      for (Row r : rows) {
        if (group == null || group.equals(r.getString("consumer_group"))) {
          found.add(new Located(r.getString("consumer_group"), r.getString("queue_name"),
              r.getString("partition_name")));
        }
      }
      if (found.isEmpty()) {
        return Future.failedFuture(new NotFoundException(NOT_FOUND));
      }
      if (found.size() > 1) {
        return Future.failedFuture(new InvalidRequestException("consumerGroup is required: the message was "
            + "dead-lettered by " + found.stream().map(Located::group).toList()));
      }
      return Future.succeededFuture(found.get(0));
    });
  }

  private DeadLetterPage toPage(RowSet<Row> rows) {
    long total = 0;
    List<DeadLetter> page = new ArrayList<>(rows.size());
    for (Row r : rows) {
      total = r.getLong("total");
      if (r.getValue("id") == null) {
        continue;
      }
      Buffer payload = r.getBuffer("payload");
      page.add(new DeadLetter(r.getUUID("message_id"), r.getString("transaction_id"), r.getUUID("partition_id"),
          r.getString("queue_name"), r.getString("partition_name"), r.getString("consumer_group"),
          r.getString("error_message"), r.getInteger("retry_count"),
          payload == null ? null : cipher.open(r.getInteger("payload_key_id"), payload.getBytes()),
          r.getOffsetDateTime("message_created_at"), r.getOffsetDateTime("failed_at")));
    }
    return new DeadLetterPage(page, total);
  }
}
