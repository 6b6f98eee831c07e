package dev.queenj.core.storage;

import io.vertx.pgclient.PgException;
import java.util.Optional;

/**
 * What Postgres said when it refused a statement: its SQLSTATE and message. Protocols map failures to their own
 * error codes in one place each; they read Postgres' verdict through this record, so that no protocol module depends
 * on the database driver's types.
 */
public record PostgresError(String sqlState, String message) {
  /** Postgres' verdict if {@code failure} itself is an error Postgres answered, else empty (causes are not read). */
  public static Optional<PostgresError> of(Throwable failure) {
    return failure instanceof PgException pg ? Optional.of(new PostgresError(pg.getSqlState(), pg.getErrorMessage()))
        : Optional.empty();
  }
}
