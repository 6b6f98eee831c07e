package dev.queenj.server;

import dev.queenj.core.storage.DatabaseTimeouts;
import dev.queenj.core.storage.PostgresUrl;
import java.nio.file.Path;

/**
 * Where the state lives.
 *
 * @param pgUrl {@code postgresql://user:pass@host:port/db} of an existing server, or null for the embedded one
 * @param dataDir the embedded Postgres' data (and later the durable push buffer); survives restarts
 * @param poolSize connections to Postgres
 * @param timeouts how long each step of talking to Postgres may take
 */
public record DatabaseConfig(String pgUrl, Path dataDir, int poolSize, DatabaseTimeouts timeouts) {
  public static final String DEFAULT_DATA_DIR = "./queen-data";
  public static final int DEFAULT_POOL_SIZE = 16;

  public DatabaseConfig {
    if (pgUrl != null && pgUrl.isBlank()) {
      pgUrl = null;
    }
    if (pgUrl != null) {
      try {
        PostgresUrl.parse(pgUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("QUEEN_PG_URL: " + e.getMessage(), e);
      }
    }
    if (timeouts == null) {
      timeouts = DatabaseTimeouts.DEFAULTS;
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("QUEEN_DATA_DIR is required");
    }
    dataDir = dataDir.toAbsolutePath().normalize();
    if (poolSize < 1) {
      throw new IllegalArgumentException("QUEEN_PG_POOL_SIZE must be at least 1, got " + poolSize);
    }
  }

  /** Over an existing server or the embedded one, with the default timeouts. */
  public DatabaseConfig(String pgUrl, Path dataDir, int poolSize) {
    this(pgUrl, dataDir, poolSize, DatabaseTimeouts.DEFAULTS);
  }

  public boolean embedded() {
    return pgUrl == null;
  }
}
