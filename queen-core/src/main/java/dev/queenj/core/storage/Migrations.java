package dev.queenj.core.storage;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the numbered schema migrations in {@code migration/}. Safe on every restart and with several instances
 * starting at once: the whole run holds a transaction-scoped advisory lock, so one instance migrates and the others
 * then find nothing left to do.
 *
 * <p>Each applied script's checksum is recorded, and a start-up is refused, before anything is written, when the
 * database records a script this build does not ship (a newer build migrated it) or one whose shipped text differs
 * from what was applied (see {@link MigrationPlan}). Databases of builds that recorded no checksums get them recorded
 * on their first start with this build. How instances of two versions share a database: README, "Upgrading".
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  /** Any constant works; it only has to be the same for every instance. ASCII "queen-j". */
  private static final long LOCK_KEY = 0x717565656e2d6aL;
  static final List<String> SCRIPTS = List.of("V001__init.sql", "V002__kafka_identity.sql",
      "V003__kafka_records.sql", "V004__kafka_groups.sql", "V005__topic_configs.sql", "V006__append_abort.sql",
      "V007__pending_partitions.sql", "V008__offset_before.sql", "V009__partition_locality.sql",
      "V010__log_positions.sql", "V011__cursor_room.sql", "V012__retention.sql",
      "V014__maintenance_modes.sql", "V015__kafka_transactions.sql", "V016__log_compaction.sql",
      "V017__scram_credentials.sql", "V018__kafka_acls.sql", "V019__payload_encryption.sql",
      "V020__streams.sql", "V021__instances.sql", "V022__message_traces.sql",
      "V023__operator_views.sql", "V024__dead_letter_origin.sql");

  private static final String INSPECT = Sql.load(Migrations.class, "schema_migrations_inspect.sql");
  private static final String CREATE = Sql.load(Migrations.class, "schema_migrations_create.sql");
  private static final String ADD_CHECKSUM = Sql.load(Migrations.class, "schema_migrations_add_checksum.sql");
  private static final String SELECT = Sql.load(Migrations.class, "schema_migrations_select.sql");
  private static final String INSERT = Sql.load(Migrations.class, "schema_migrations_insert.sql");
  private static final String RECORD_CHECKSUMS = Sql.load(Migrations.class, "schema_migrations_record_checksums.sql");

  private Migrations() {}

  /**
   * Migrates the database to this build's schema; answers how many scripts it applied. Fails with
   * {@link IncompatibleSchemaException}, having changed nothing, when this build must not run on the database.
   */
  public static Future<Integer> apply(Database database) {
    List<MigrationScript> shipped;
    try {
      shipped = SCRIPTS.stream().map(MigrationScript::shipped).toList();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return database.inTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(LOCK_KEY))
        // a migration may rewrite a whole table (V010 did), longer than any request's statement timeout
        .compose(locked -> tx.query("SET LOCAL statement_timeout = 0").execute())
        .compose(unlimited -> tx.query(INSPECT).execute())
        .compose(found -> versionTable(tx, found.iterator().next()))
        .compose(ready -> tx.query(SELECT).execute())
        .compose(rows -> {
          Map<String, String> applied = new HashMap<>();
          for (Row row : rows) {
            applied.put(row.getString("version"), row.getString("checksum"));
          }
          MigrationPlan plan = MigrationPlan.of(shipped, applied);
          return recordChecksums(tx, plan.unrecorded()).compose(recorded -> applyMissing(tx, plan.missing()));
        }));
  }

  private static Future<Void> versionTable(SqlConnection tx, Row found) {
    if (!found.getBoolean("has_table")) {
      return tx.query(CREATE).execute().mapEmpty();
    }
    if (!found.getBoolean("has_checksum")) {
      LOG.info("schema_migrations gains a checksum column: this database was migrated by a build without checksums");
      return tx.query(ADD_CHECKSUM).execute().mapEmpty();
    }
    return Future.succeededFuture();
  }

  /**
   * Records the shipped checksums of scripts an earlier build applied without one. Whether those scripts were
   * edited before this start cannot be known; from now on they are checked like the others.
   */
  private static Future<Void> recordChecksums(SqlConnection tx, List<MigrationScript> unrecorded) {
    if (unrecorded.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> names = unrecorded.stream().map(MigrationScript::name).toList();
    LOG.info("recording checksums of {} schema migrations applied by an earlier Queen-J build ({}): from now on a "
        + "start-up with a changed script is refused", names.size(), String.join(", ", names));
    return tx.preparedQuery(RECORD_CHECKSUMS)
        .execute(Tuple.tuple().addArrayOfString(names.toArray(String[]::new))
            .addArrayOfString(unrecorded.stream().map(MigrationScript::checksum).toArray(String[]::new)))
        .mapEmpty();
  }

  private static Future<Integer> applyMissing(SqlConnection tx, List<MigrationScript> missing) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (MigrationScript script : missing) {
      chain = chain.compose(count -> {
        LOG.info("applying schema migration {}", script.name());
        return tx.query(script.sql()).execute()
            .compose(done -> tx.preparedQuery(INSERT).execute(Tuple.of(script.name(), script.checksum())))
            .map(done -> count + 1);
      });
    }
    return chain;
  }
}
