package dev.queenj.core.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the planner statistics of the broker's tables current while they grow.
 *
 * <p>Statements stay prepared on their connections, and Postgres may switch one to a generic plan made from the
 * statistics of that moment, which it keeps until the statistics of a table it reads change. A plan made while a
 * table held a handful of rows scans that table whole: a pop's claim took 1.5 s once its group had 100,000
 * partitions. Autovacuum would analyze the table only after its nap (a minute by default), so every
 * {@link #INTERVAL_MS} the tables that have doubled since they were last analyzed (and hold at least
 * {@link #MIN_ROWS} rows) are analyzed here, and every connection plans its statements against them again. A table
 * that keeps doubling is analyzed a logarithmic number of times; one of steady size never is (autovacuum keeps it).
 */
public final class PlannerStatistics {
  private static final Logger LOG = LoggerFactory.getLogger(PlannerStatistics.class);
  static final long INTERVAL_MS = 2_000;
  /** Below this, any plan is cheap whatever its shape. */
  static final long MIN_ROWS = 1_000;
  static final double GROWTH = 2.0;
  private static final String GROWN = Sql.load(PlannerStatistics.class, "tables_grown.sql");

  private final Vertx vertx;
  private final Database database;
  private volatile boolean stopped = true;

  public PlannerStatistics(Vertx vertx, Database database) {
    this.vertx = vertx;
    this.database = database;
  }

  /** Checks every {@link #INTERVAL_MS} until {@link #stop()}; one check at a time. */
  public void start() {
    stopped = false;
    scheduleNext();
  }

  public void stop() {
    stopped = true;
  }

  private void scheduleNext() {
    if (!stopped) {
      vertx.setTimer(INTERVAL_MS, id -> {
        if (!stopped) {
          refresh().onComplete(done -> scheduleNext());
        }
      });
    }
  }

  /** Analyzes the tables that have grown since their statistics were made; answers their names. */
  public Future<List<String>> refresh() {
    return database.pool().preparedQuery(GROWN).execute(Tuple.of(MIN_ROWS, GROWTH))
        .compose(rows -> {
          List<String> grown = new ArrayList<>();
          for (Row row : rows) {
            grown.add(row.getString("name"));
          }
          if (grown.isEmpty()) {
            return Future.succeededFuture(grown);
          }
          // names come from the fixed list in the query, never from a request
          return database.pool().query("ANALYZE " + String.join(", ", grown)).execute().map(done -> {
            LOG.debug("analyzed {}: each had grown at least {} times since its statistics were made", grown, GROWTH);
            return grown;
          });
        })
        .onFailure(failure -> {
          // while the database is away this would fail every period; /health and the requests already say so
          if (!stopped && !DatabaseUnavailable.is(failure)) {
            LOG.warn("could not refresh planner statistics: {}", failure.getMessage());
          }
        });
  }
}
