package dev.queenj.core.streams;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Registers stream queries, one per name, under the uniqueness of the name: a first registration creates it; the
 * same hash again is idempotent; another hash is a conflict unless {@code reset}, which wipes the query's state. A
 * concurrent first registration of the same name is treated as an existing row (never a silent overwrite).
 */
public final class StreamQueries {
  private static final String INSERT = Sql.load(StreamQueries.class, "query_insert.sql");
  private static final String LOCK = Sql.load(StreamQueries.class, "query_lock.sql");
  private static final String UPDATE = Sql.load(StreamQueries.class, "query_update.sql");
  private static final String WIPE = Sql.load(StreamQueries.class, "state_wipe.sql");

  private final Database database;

  public StreamQueries(Database database) {
    this.database = database;
  }

  /** {@code sinkQueue} null when absent. */
  public Future<Registration> register(String name, String sourceQueue, String sinkQueue, String configHash,
      boolean reset) {
    return database.inTransaction(tx -> tx.preparedQuery(INSERT)
        .execute(Tuple.of(UUID.randomUUID(), name, sourceQueue, sinkQueue, configHash))
        .compose(inserted -> inserted.size() == 1
            ? Future.succeededFuture(new Registration(inserted.iterator().next().getUUID("id"), true, false, false))
            : existing(tx, name, sourceQueue, sinkQueue, configHash, reset)));
  }

  private static Future<Registration> existing(SqlConnection tx, String name, String sourceQueue, String sinkQueue,
      String configHash, boolean reset) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(name)).compose(rows -> {
      Row row = rows.iterator().next();
      UUID id = row.getUUID("id");
      boolean changed = !configHash.equals(row.getString("config_hash"));
      if (changed && !reset) {
        return Future.succeededFuture(new Registration(id, false, false, true));
      }
      Future<?> wiped = changed ? tx.preparedQuery(WIPE).execute(Tuple.of(id)) : Future.succeededFuture();
      return wiped.compose(done -> tx.preparedQuery(UPDATE).execute(Tuple.of(id, sourceQueue, sinkQueue, configHash)))
          .map(done -> new Registration(id, false, changed, false));
    });
  }
}
