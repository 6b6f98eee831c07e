package dev.queenj.core.maintenance;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queen's two maintenance switches, stored in Postgres so that every instance on the database obeys them: push
 * maintenance (pushes go to the outage buffer and are replayed once it is off) and pop maintenance (pops answer
 * empty). Each instance reads them every {@link #REFRESH_MS}, so a switch turned through another instance applies
 * here within about a second; while the database cannot be read the last known state holds. A switch turned through
 * this instance applies here at once.
 */
public final class MaintenanceMode {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceMode.class);
  public static final long REFRESH_MS = 1_000;
  private static final String SELECT = Sql.load(MaintenanceMode.class, "maintenance_select.sql");
  private static final String UPDATE = Sql.load(MaintenanceMode.class, "maintenance_update.sql");

  /** The two switches. */
  public enum Switch {
    PUSH, POP;

    String stored() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Vertx vertx;
  private final Database database;
  private volatile boolean push;
  private volatile boolean pop;
  /** Bumped by every change made here, so that a read begun before it cannot undo it in the cache. */
  private volatile long changes;
  private volatile long timer = -1;

  public MaintenanceMode(Vertx vertx, Database database) {
    this.vertx = vertx;
    this.database = database;
  }

  /** Reads the switches now and then every {@link #REFRESH_MS} until {@link #stop()}. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
    return refresh();
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Whether pushes go to the outage buffer, and its replay waits. */
  public boolean pushPaused() {
    return push;
  }

  /** Whether pops answer empty. */
  public boolean popsPaused() {
    return pop;
  }

  public boolean isOn(Switch which) {
    return which == Switch.PUSH ? push : pop;
  }

  /** Turns a switch on or off for every instance; completes once stored. */
  public Future<Void> set(Switch which, boolean enabled) {
    return database.pool().preparedQuery(UPDATE).execute(Tuple.of(which.stored(), enabled)).map(done -> {
      changes++;
      if (which == Switch.PUSH) {
        push = enabled;
      } else {
        pop = enabled;
      }
      LOG.info("{} maintenance turned {}", which.stored(), enabled ? "on" : "off");
      return null;
    });
  }

  /** Reads the stored switches into the cache; a failed read keeps the last known state. */
  public Future<Void> refresh() {
    long before = changes;
    return database.pool().preparedQuery(SELECT).execute().map(rows -> {
      boolean pushOn = false;
      boolean popOn = false;
      for (Row row : rows) {
        pushOn |= Switch.PUSH.stored().equals(row.getString(0));
        popOn |= Switch.POP.stored().equals(row.getString(0));
      }
      if (changes == before) {
        push = pushOn;
        pop = popOn;
      }
      return (Void) null;
    }).recover(failure -> {
      LOG.debug("could not read the maintenance switches, keeping the last known ones: {}", failure.toString());
      return Future.succeededFuture();
    });
  }
}
