package dev.queenj.core.lease;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Lease extension for consumers that need longer than the queue's leaseTime. */
public final class LeaseService {
  private static final String EXTEND = Sql.load(LeaseService.class, "lease_extend.sql");
  private static final String STATE = Sql.load(LeaseService.class, "lease_state.sql");

  private final Database database;

  public LeaseService(Database database) {
    this.database = database;
  }

  public Future<LeaseExtension> extend(UUID leaseId, int seconds) {
    return database.pool().preparedQuery(EXTEND).execute(Tuple.of(leaseId, seconds)).compose(rows -> {
      OffsetDateTime latest = null;
      for (Row row : rows) {
        OffsetDateTime expiry = row.getOffsetDateTime("lease_expires_at");
        latest = latest == null || expiry.isAfter(latest) ? expiry : latest;
      }
      if (latest != null) {
        return Future.succeededFuture(new LeaseExtension(true, null, latest));
      }
      return database.pool().preparedQuery(STATE).execute(Tuple.of(leaseId)).map(state -> {
        Row row = state.iterator().next();
        String error = row.getLong("total") > 0 ? LeaseExtension.EXPIRED : LeaseExtension.NOT_FOUND;
        return new LeaseExtension(false, error, null);
      });
    });
  }
}
