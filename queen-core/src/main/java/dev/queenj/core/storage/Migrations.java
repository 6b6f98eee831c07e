package dev.queenj.core.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the numbered schema migrations in {@code migration/}. Safe on every restart and with several instances
 * starting at once: the whole run holds a transaction-scoped advisory lock, so one instance migrates and the others
 * then find nothing left to do.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  /** Any constant works; it only has to be the same for every instance. ASCII "queen-j". */
  private static final long LOCK_KEY = 0x717565656e2d6aL;
  static final List<String> SCRIPTS = List.of("V001__init.sql", "V002__kafka_identity.sql",
      "V003__kafka_records.sql", "V004__kafka_groups.sql", "V005__topic_configs.sql", "V006__append_abort.sql",
      "V007__pending_partitions.sql", "V008__offset_before.sql", "V009__partition_locality.sql",
      "V010__log_positions.sql", "V011__cursor_room.sql", "V012__retention.sql");

  private Migrations() {}

  public static Future<Integer> apply(Database database) {
    return database.inTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(LOCK_KEY))
        .compose(locked -> tx.query("SELECT to_regclass('schema_migrations') IS NOT NULL").execute())
        .compose(exists -> exists.iterator().next().getBoolean(0) ? Future.succeededFuture()
            : tx.query("CREATE TABLE schema_migrations ("
                + "version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())").execute().mapEmpty())
        .compose(created -> tx.query("SELECT version FROM schema_migrations").execute())
        .compose(rows -> {
          Set<String> applied = new HashSet<>();
          for (Row row : rows) {
            applied.add(row.getString(0));
          }
          return applyMissing(tx, applied);
        }));
  }

  private static Future<Integer> applyMissing(SqlConnection tx, Set<String> applied) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String script : SCRIPTS) {
      if (applied.contains(script)) {
        continue;
      }
      chain = chain.compose(count -> {
        LOG.info("applying schema migration {}", script);
        return tx.query(Sql.load(Migrations.class, "migration/" + script)).execute()
            .compose(done -> tx.preparedQuery("INSERT INTO schema_migrations (version) VALUES ($1)")
                .execute(Tuple.of(script)))
            .map(done -> count + 1);
      });
    }
    return chain;
  }
}
