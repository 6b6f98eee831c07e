package dev.queenj.core.message;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Single messages by (partition id, transaction id): inspect one, or delete it; and pages of messages. */
public final class MessageService {
  private static final String SELECT = Sql.load(MessageService.class, "message_select.sql");
  private static final String POSITIONS = Sql.load(MessageService.class, "consumer_position_select.sql");
  private static final String DELETE = Sql.load(MessageService.class, "message_delete.sql");
  private static final String LIST = Sql.load(MessageService.class, "messages_list.sql");
  private static final String LIST_PARTITION = Sql.load(MessageService.class, "messages_list_partition.sql");

  private final Database database;
  private final PayloadCipher cipher;

  /** {@code cipher} opens the payloads stored encrypted. */
  public MessageService(Database database, PayloadCipher cipher) {
    this.database = database;
    this.cipher = cipher;
  }

  public Future<Optional<MessageDetail>> find(UUID partitionId, String transactionId) {
    // One transaction, so that the message and the cursors compared with it come from one snapshot.
    return database.inTransaction(tx -> tx.preparedQuery(SELECT).execute(Tuple.of(partitionId, transactionId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.empty());
          }
          Row message = rows.iterator().next();
          Tuple position = Tuple.of(partitionId, message.getLong("log_offset"), message.getUUID("id"));
          return tx.preparedQuery(POSITIONS).execute(position).map(positions -> {
            List<GroupConsumption> consumption = new ArrayList<>(positions.size());
            positions.forEach(row -> consumption.add(toConsumption(row)));
            return Optional.of(toDetail(message, consumption));
          });
        }));
  }

  /** Deletes the message; answers whether it existed. */
  public Future<Boolean> delete(UUID partitionId, String transactionId) {
    return database.pool().preparedQuery(DELETE).execute(Tuple.of(partitionId, transactionId))
        .map(rows -> rows.rowCount() > 0);
  }

  /** One page of the messages matching {@code filter}, newest first (see {@code messages_list.sql}). */
  public Future<MessagePage> list(MessageFilter filter) {
    Tuple params = Tuple.tuple().addValue(filter.queue()).addValue(filter.namespace()).addValue(filter.task())
        .addValue(filter.status() == null ? null : filter.status().wireName()).addValue(filter.consumerGroup())
        .addValue(filter.from()).addValue(filter.to()).addValue(filter.limit() + 1).addValue(filter.offset());
    String sql = LIST;
    if (filter.partition() != null) {
      params.addValue(filter.partition());
      sql = LIST_PARTITION;
    }
    return database.pool().preparedQuery(sql).execute(params).map(rows -> {
      List<MessageSummary> page = new ArrayList<>(rows.size());
      for (Row r : rows) {
        if (page.size() == filter.limit()) {
          return new MessagePage(page, true);
        }
        page.add(new MessageSummary(r.getUUID("id"), r.getString("transaction_id"), r.getUUID("partition_id"),
            r.getString("queue_name"), r.getString("partition_name"), r.getString("namespace"), r.getString("task"),
            MessageStatus.ofWireName(r.getString("status")), r.getUUID("trace_id"),
            r.getOffsetDateTime("created_at")));
      }
      return new MessagePage(page, false);
    });
  }

  private static GroupConsumption toConsumption(Row r) {
    MessageStatus status;
    int retryCount;
    if (r.getOffsetDateTime("failed_at") != null) {
      status = MessageStatus.DEAD_LETTER;
      retryCount = r.getInteger("dead_letter_retry_count");
    } else if (r.getBoolean("consumed")) {
      status = MessageStatus.COMPLETED;
      retryCount = 0;
    } else {
      status = r.getBoolean("in_batch") ? MessageStatus.PROCESSING : MessageStatus.PENDING;
      retryCount = r.getInteger("retry_count");
    }
    return new GroupConsumption(r.getString("consumer_group"), status, retryCount, r.getString("error_message"),
        r.getOffsetDateTime("failed_at"), r.getOffsetDateTime("last_consumed_at"));
  }

  private MessageDetail toDetail(Row m, List<GroupConsumption> consumption) {
    Buffer payload = m.getBuffer("payload");
    return new MessageDetail(m.getUUID("id"), m.getString("transaction_id"), m.getUUID("partition_id"),
        m.getString("queue_name"), m.getString("partition_name"), m.getString("namespace"), m.getString("task"),
        m.getUUID("trace_id"), payload == null ? null : cipher.open(m.getInteger("payload_key_id"), payload.getBytes()),
        m.getString("producer_sub"),
        m.getOffsetDateTime("created_at"), consumption, Boolean.TRUE.equals(m.getBoolean("kafka_origin")));
  }
}
