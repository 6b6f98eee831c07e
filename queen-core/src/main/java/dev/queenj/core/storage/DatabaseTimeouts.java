package dev.queenj.core.storage;

/**
 * How long any step of talking to Postgres may take, so that a database that is down, overloaded or stalled turns
 * into a prompt, retriable error instead of requests that hang.
 *
 * @param connectMs opening a connection (TCP, TLS and login); Queen's {@code DB_CONNECTION_TIMEOUT}
 * @param acquireMs waiting for a free connection of a pool; Queen's {@code DB_POOL_ACQUISITION_TIMEOUT}
 * @param statementMs one statement, enforced by Postgres ({@code statement_timeout}), and the deadline the protocols
 *     give a request's storage work, which also covers a server that stopped answering; Queen's
 *     {@code DB_STATEMENT_TIMEOUT}
 */
public record DatabaseTimeouts(int connectMs, int acquireMs, int statementMs) {
  public static final int DEFAULT_CONNECT_MS = 5_000;
  public static final int DEFAULT_ACQUIRE_MS = 10_000;
  public static final int DEFAULT_STATEMENT_MS = 30_000;
  public static final DatabaseTimeouts DEFAULTS =
      new DatabaseTimeouts(DEFAULT_CONNECT_MS, DEFAULT_ACQUIRE_MS, DEFAULT_STATEMENT_MS);

  public DatabaseTimeouts {
    positive("QUEEN_PG_CONNECT_TIMEOUT_MS", connectMs);
    positive("QUEEN_PG_ACQUIRE_TIMEOUT_MS", acquireMs);
    positive("QUEEN_PG_STATEMENT_TIMEOUT_MS", statementMs);
  }

  private static void positive(String name, int ms) {
    if (ms < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 ms, got " + ms);
    }
  }
}
