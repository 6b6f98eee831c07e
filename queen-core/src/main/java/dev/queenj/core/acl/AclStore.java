package dev.queenj.core.acl;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACLs, stored in Postgres for every instance, and this instance's in-memory {@linkplain #snapshot() snapshot}
 * of them, which authorization decides against so that no request waits on storage for it. The snapshot is re-read
 * after every change made here and every {@link #REFRESH_MS} (changes made through another instance apply here
 * within about a second); while storage cannot be read the last known ACLs hold.
 */
public final class AclStore {
  private static final Logger LOG = LoggerFactory.getLogger(AclStore.class);
  public static final long REFRESH_MS = 1_000;
  private static final String INSERT = Sql.load(AclStore.class, "acl_insert.sql");
  private static final String SELECT = Sql.load(AclStore.class, "acl_select.sql");
  private static final String DELETE = Sql.load(AclStore.class, "acl_delete.sql");

  private final Database database;
  private volatile AclSnapshot snapshot = AclSnapshot.EMPTY;
  /** Bumped by every change made here, so that a read begun before it cannot put older ACLs back in the cache. */
  private volatile long changes;
  private Vertx vertx;
  private long timer = -1;
  private int starts;

  public AclStore(Database database) {
    this.database = database;
  }

  /**
   * Reads the ACLs now and then every {@link #REFRESH_MS} until as many {@link #stop()}s as starts (HTTP and Kafka
   * may each start it). Completes once the first read is in, so nothing is authorized against an empty cache.
   */
  public synchronized Future<Void> start(Vertx on) {
    if (starts++ == 0) {
      vertx = on;
      timer = on.setPeriodic(REFRESH_MS, id -> refresh());
    }
    return refresh();
  }

  public synchronized void stop() {
    if (starts > 0 && --starts == 0 && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** The ACLs as last read: what authorization decides against. */
  public AclSnapshot snapshot() {
    return snapshot;
  }

  /** Every stored ACL, read now (for DescribeAcls and DeleteAcls, which must see what another instance stored). */
  public Future<List<StoredAcl>> list() {
    return database.pool().preparedQuery(SELECT).execute().map(AclStore::stored);
  }

  /** Stores {@code acls}; one already stored is left as it is (creating an ACL twice is not an error in Kafka). */
  public Future<Void> create(List<AclBinding> acls) {
    if (acls.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(acls.size());
    for (AclBinding acl : acls) {
      rows.add(Tuple.of(acl.kind().name(), acl.name(), acl.pattern().name(), acl.principal(), acl.host(),
          acl.operation().name(), acl.permission().name()));
    }
    return database.pool().preparedQuery(INSERT).executeBatch(rows).compose(done -> changed());
  }

  /** Deletes the ACLs with these ids; answers those that were still there. */
  public Future<List<StoredAcl>> delete(List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return database.pool().preparedQuery(DELETE).execute(Tuple.of(ids.toArray(Long[]::new)))
        .map(AclStore::stored).compose(deleted -> changed().map(deleted));
  }

  /** Re-reads the ACLs into the snapshot; a failed read keeps the last known ones. */
  public Future<Void> refresh() {
    long before = changes;
    return list().map(rows -> {
      if (changes == before) {
        snapshot = new AclSnapshot(rows.stream().map(StoredAcl::binding).toList());
      }
      return (Void) null;
    }).recover(failure -> {
      LOG.debug("could not read the ACLs, keeping the last known ones: {}", failure.toString());
      return Future.succeededFuture();
    });
  }

  private Future<Void> changed() {
    changes++;
    long before = changes;
    return list().map(rows -> {
      if (changes == before) {
        snapshot = new AclSnapshot(rows.stream().map(StoredAcl::binding).toList());
      }
      return (Void) null;
    });
  }

  private static List<StoredAcl> stored(RowSet<Row> rows) {
    List<StoredAcl> acls = new ArrayList<>(rows.size());
    for (Row row : rows) {
      acls.add(new StoredAcl(row.getLong("id"), new AclBinding(ResourceKind.valueOf(row.getString("resource_type")),
          row.getString("resource_name"), PatternType.valueOf(row.getString("pattern_type")),
          row.getString("principal"), row.getString("host"), AclOperation.valueOf(row.getString("operation")),
          AclPermission.valueOf(row.getString("permission")))));
    }
    return acls;
  }
}
