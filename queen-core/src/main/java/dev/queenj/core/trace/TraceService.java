package dev.queenj.core.trace;

import dev.queenj.core.Uuid7;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Trace events consumers record on messages (Queen's {@code msg.trace()}): recorded in one statement, read by message
 * and by name. Off the hot path: nothing here runs on a push, pop or ack.
 */
public final class TraceService {
  private static final String INSERT = Sql.load(TraceService.class, "trace_insert.sql");
  private static final String BY_MESSAGE = Sql.load(TraceService.class, "traces_by_message.sql");
  private static final String BY_NAME = Sql.load(TraceService.class, "traces_by_name.sql");
  private static final String NAMES = Sql.load(TraceService.class, "trace_names_select.sql");
  private static final String PRUNE = Sql.load(TraceService.class, "traces_prune.sql");

  private final Database database;

  public TraceService(Database database) {
    this.database = database;
  }

  /** Records the event; answers its id, or empty when there is no such message (nothing is recorded then). */
  public Future<Optional<UUID>> record(TraceEvent event) {
    Tuple params = Tuple.tuple().addValue(Uuid7.next()).addValue(event.partitionId())
        .addValue(event.transactionId()).addValue(event.consumerGroup()).addValue(event.eventType())
        .addValue(event.data()).addArrayOfString(event.traceNames().toArray(String[]::new));
    return database.pool().preparedQuery(INSERT).execute(params).map(rows -> rows.size() == 0
        ? Optional.<UUID>empty() : Optional.of(rows.iterator().next().getUUID("id")));
  }

  /** Every trace event of the message, oldest first; empty when it has none (or never existed). */
  public Future<List<Trace>> byMessage(UUID partitionId, String transactionId) {
    return database.pool().preparedQuery(BY_MESSAGE).execute(Tuple.of(partitionId, transactionId)).map(rows -> {
      List<Trace> traces = new ArrayList<>(rows.size());
      rows.forEach(r -> traces.add(new Trace(r.getUUID("id"), partitionId, transactionId, r.getString("event_type"),
          r.getString("data"), r.getString("consumer_group"), r.getOffsetDateTime("created_at"), names(r), null,
          null)));
      return traces;
    });
  }

  /** The events filed under {@code name}, oldest first, a page at a time. */
  public Future<TracePage> byName(String name, Paging paging) {
    return database.pool().preparedQuery(BY_NAME).execute(Tuple.of(name, paging.limit(), paging.offset()))
        .map(TraceService::toPage);
  }

  /** The names in use, most recently used first, a page at a time. */
  public Future<TraceNamePage> names(Paging paging) {
    return database.pool().preparedQuery(NAMES).execute(Tuple.of(paging.limit(), paging.offset())).map(rows -> {
      long total = 0;
      List<TraceName> names = new ArrayList<>(rows.size());
      for (Row r : rows) {
        total = r.getLong("total");
        if (r.getValue("trace_name") != null) {
          names.add(new TraceName(r.getString("trace_name"), r.getLong("trace_count"), r.getLong("message_count"),
              r.getOffsetDateTime("last_seen")));
        }
      }
      return new TraceNamePage(names, total);
    });
  }

  /** Forgets up to {@code batch} events recorded before {@code before}; answers how many. */
  public Future<Integer> prune(OffsetDateTime before, int batch) {
    return database.pool().preparedQuery(PRUNE).execute(Tuple.of(before, batch)).map(RowSet::rowCount);
  }

  private static TracePage toPage(RowSet<Row> rows) {
    long total = 0;
    List<Trace> traces = new ArrayList<>(rows.size());
    for (Row r : rows) {
      total = r.getLong("total");
      if (r.getValue("id") == null) {
        continue;
      }
      traces.add(new Trace(r.getUUID("id"), r.getUUID("partition_id"), r.getString("transaction_id"),
          r.getString("event_type"), r.getString("data"), r.getString("consumer_group"),
          r.getOffsetDateTime("created_at"), names(r), r.getString("queue_name"), r.getString("partition_name")));
    }
    return new TracePage(traces, total);
  }

  private static List<String> names(Row r) {
    String[] names = r.getArrayOfStrings("trace_names");
    return names == null ? List.of() : Arrays.asList(names);
  }
}
