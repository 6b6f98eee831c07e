package dev.queenj.core.dlq;

import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Reads the dead-letter queue a page at a time; the page and the total come from one snapshot. */
public final class DeadLetterService {
  private static final String SELECT = Sql.load(DeadLetterService.class, "dead_letter_select.sql");

  private final Database database;
  private final PayloadCipher cipher;

  /** {@code cipher} opens the payloads stored encrypted. */
  public DeadLetterService(Database database, PayloadCipher cipher) {
    this.database = database;
    this.cipher = cipher;
  }

  public Future<DeadLetterPage> list(DeadLetterFilter filter) {
    Tuple params = Tuple.tuple().addValue(filter.queue()).addValue(filter.consumerGroup())
        .addValue(filter.partition()).addValue(filter.from()).addValue(filter.to()).addValue(filter.limit())
        .addValue(filter.offset());
    return database.pool().preparedQuery(SELECT).execute(params).map(this::toPage);
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
