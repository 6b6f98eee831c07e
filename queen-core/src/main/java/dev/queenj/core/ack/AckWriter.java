package dev.queenj.core.ack;

import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Applies acknowledgements inside a caller's transaction. Completed acks (the hot path) go through one multi-row
 * statement however many there are; failed / dlq / retry acks are decided one by one first, and those that end in
 * the dead-letter queue then complete like any other ack. Shared by group-committed acks and {@code /transaction}.
 */
public final class AckWriter {
  private static final String COMPLETE = Sql.load(AckWriter.class, "ack_complete.sql");
  private static final String TARGET = Sql.load(AckWriter.class, "ack_target.sql");
  private static final String RETRY = Sql.load(AckWriter.class, "consumer_retry.sql");
  private static final String RELEASE = Sql.load(AckWriter.class, "consumer_release.sql");
  private static final String DEAD_LETTER = Sql.load(AckWriter.class, "dead_letter_insert.sql");
  static final String RETRIES_EXHAUSTED = "Retries exhausted";
  static final String INVALID_LEASE = "Invalid or expired lease";

  /** An ack on its way to the completing statement. */
  private record Completion(int index, UUID partitionId, String transactionId, String group, UUID leaseId,
      boolean dlq) {}

  /**
   * @param failedGoesToDlq inside {@code /transaction}, a failed ack goes straight to the dead-letter queue
   */
  public Future<List<AckOutcome>> apply(SqlConnection tx, List<AckItem> items, boolean failedGoesToDlq) {
    AckOutcome[] outcomes = new AckOutcome[items.size()];
    List<Completion> completions = new ArrayList<>();
    Future<Void> special = Future.succeededFuture();
    for (int i = 0; i < items.size(); i++) {
      int index = i;
      AckItem item = items.get(i);
      UUID partitionId = parseUuid(item.partitionId());
      AckStatus status = AckStatus.parse(item.status()).orElse(null);
      if (item.transactionId() == null || item.transactionId().isEmpty()) {
        outcomes[i] = AckOutcome.failure(item.transactionId(), "transactionId is required");
      } else if (partitionId == null) {
        outcomes[i] = AckOutcome.failure(item.transactionId(), "Invalid partitionId: " + item.partitionId());
      } else if (status == null) {
        outcomes[i] = AckOutcome.failure(item.transactionId(), "Unknown status: " + item.status());
      } else if (status == AckStatus.COMPLETED) {
        completions.add(new Completion(i, partitionId, item.transactionId(), item.consumerGroup(),
            leaseOf(item), false));
      } else {
        AckStatus effective = status == AckStatus.FAILED && failedGoesToDlq ? AckStatus.DLQ : status;
        special = special.compose(done -> settleSpecial(tx, index, partitionId, item, effective, outcomes,
            completions));
      }
    }
    return special
        .compose(done -> complete(tx, completions, outcomes))
        .map(done -> Arrays.asList(outcomes));
  }

  private Future<Void> settleSpecial(SqlConnection tx, int index, UUID partitionId, AckItem item, AckStatus status,
      AckOutcome[] outcomes, List<Completion> completions) {
    return tx.preparedQuery(TARGET).execute(Tuple.of(partitionId, item.transactionId(), item.consumerGroup()))
        .compose(rows -> {
          if (rows.size() == 0) {
            outcomes[index] = AckOutcome.failure(item.transactionId(), "Message not found");
            return Future.succeededFuture();
          }
          Row target = rows.iterator().next();
          boolean leaseOk = item.leaseId() == null
              || (leaseOf(item).equals(target.getUUID("lease_id")) && target.getBoolean("lease_live"));
          if (!leaseOk) {
            outcomes[index] = AckOutcome.failure(item.transactionId(), INVALID_LEASE);
            return Future.succeededFuture();
          }
          String queueName = target.getString("queue_name");
          String partitionName = target.getString("partition_name");
          int retryCount = target.getInteger("retry_count");
          if (status == AckStatus.RETRY) {
            outcomes[index] = new AckOutcome(item.transactionId(), true, null, queueName, partitionName, true, false);
            return tx.preparedQuery(RELEASE).execute(Tuple.of(partitionId, item.consumerGroup())).mapEmpty();
          }
          if (status == AckStatus.FAILED && retryCount < target.getInteger("retry_limit")) {
            outcomes[index] = new AckOutcome(item.transactionId(), true, null, queueName, partitionName, true, false);
            return tx.preparedQuery(RETRY).execute(Tuple.of(partitionId, item.consumerGroup(),
                target.getUUID("queue_id"), target.getInteger("retry_delay"))).mapEmpty();
          }
          String reason = item.error() != null ? item.error()
              : status == AckStatus.FAILED ? RETRIES_EXHAUSTED : "Moved to dead-letter queue";
          Tuple deadLetter = deadLetter(target, partitionId, item.transactionId(), item.consumerGroup(), reason,
              retryCount);
          completions.add(new Completion(index, partitionId, item.transactionId(), item.consumerGroup(), null, true));
          return tx.preparedQuery(DEAD_LETTER).execute(deadLetter).mapEmpty();
        });
  }

  /**
   * The parameters of {@code dead_letter_insert.sql} for the message {@code target} ({@code ack_target.sql}'s row)
   * given up on by {@code group}: its payload as stored, and what a requeue needs once the message is gone.
   */
  public static Tuple deadLetter(Row target, UUID partitionId, String transactionId, String group, String reason,
      int retryCount) {
    return Tuple.tuple().addValue(target.getUUID("queue_id")).addValue(partitionId)
        .addValue(target.getUUID("message_id")).addValue(transactionId).addValue(group).addValue(reason)
        .addValue(retryCount).addValue(target.getBuffer("payload")).addValue(target.getOffsetDateTime("created_at"))
        .addValue(target.getInteger("payload_key_id")).addValue(target.getString("partition_name"))
        .addValue(target.getUUID("trace_id"));
  }

  private Future<Void> complete(SqlConnection tx, List<Completion> completions, AckOutcome[] outcomes) {
    if (completions.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = completions.size();
    Integer[] ord = new Integer[n];
    UUID[] partitions = new UUID[n];
    String[] transactions = new String[n];
    String[] groups = new String[n];
    UUID[] leases = new UUID[n];
    for (int i = 0; i < n; i++) {
      Completion c = completions.get(i);
      ord[i] = i;
      partitions[i] = c.partitionId();
      transactions[i] = c.transactionId();
      groups[i] = c.group();
      leases[i] = c.leaseId();
    }
    return tx.preparedQuery(COMPLETE).execute(Tuple.of(ord, partitions, transactions, groups, leases))
        .map(rows -> {
          Iterator<Row> it = rows.iterator();
          for (Completion c : completions) {
            Row row = it.next();
            String error = row.getString("error");
            outcomes[c.index()] = error != null
                ? AckOutcome.failure(c.transactionId(), error)
                : new AckOutcome(c.transactionId(), true, null, row.getString("queue_name"),
                    row.getString("partition_name"), row.getBoolean("released"), c.dlq());
          }
          return null;
        });
  }

  /** The ack's lease id; a malformed one becomes a random id, which matches no lease. */
  private static UUID leaseOf(AckItem item) {
    if (item.leaseId() == null) {
      return null;
    }
    UUID parsed = parseUuid(item.leaseId());
    return parsed != null ? parsed : UUID.randomUUID();
  }

  private static UUID parseUuid(String text) {
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
