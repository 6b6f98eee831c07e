package dev.queenj.core.streams;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads a query's state for one source partition, sorted by key (code point order), without locks. */
public final class StreamState {
  private static final String SELECT = Sql.load(StreamState.class, "state_select.sql");

  private final Database database;

  public StreamState(Database database) {
    this.database = database;
  }

  /** An unknown query or partition reads no rows. */
  public Future<List<StateRow>> read(UUID queryId, UUID partitionId, StateFilter filter) {
    String[] keys = filter.keys() == null ? null : filter.keys().toArray(String[]::new);
    String ripe = filter.ripeAtOrBefore() == null ? null : filter.ripeAtOrBefore().toPlainString();
    return database.pool().preparedQuery(SELECT)
        .execute(Tuple.of(queryId, partitionId, keys, filter.keyPrefix(), ripe))
        .map(rows -> {
          List<StateRow> out = new ArrayList<>(rows.size());
          for (Row row : rows) {
            out.add(new StateRow(row.getString("key"), row.getString("value"),
                row.getOffsetDateTime("updated_at")));
          }
          return out;
        });
  }
}
