package dev.queenj.core.cluster;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * The identity of a deployment: every instance sharing one database is one cluster with one id, created by the
 * schema migration and kept for the database's life. Protocols present it as their cluster id.
 */
public final class ClusterIdentity {
  private static final String SELECT = Sql.load(ClusterIdentity.class, "cluster_identity_select.sql");

  private final Database database;

  public ClusterIdentity(Database database) {
    this.database = database;
  }

  public Future<UUID> id() {
    return database.pool().query(SELECT).execute().map(rows -> rows.iterator().next().getUUID("id"));
  }
}
