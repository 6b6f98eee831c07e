package dev.queenj.server;

import java.nio.file.Path;

/**
 * Where the state lives.
 *
 * @param pgUrl {@code postgresql://user:pass@host:port/db} of an existing server, or null for the embedded one
 * @param dataDir the embedded Postgres' data (and later the durable push buffer); survives restarts
 * @param poolSize connections to Postgres
 */
public record DatabaseConfig(String pgUrl, Path dataDir, int poolSize) {
  public static final String DEFAULT_DATA_DIR = "./queen-data";
  public static final int DEFAULT_POOL_SIZE = 16;

  public DatabaseConfig {
    if (pgUrl != null && pgUrl.isBlank()) {
      pgUrl = null;
    }
    if (pgUrl != null && !pgUrl.startsWith("postgresql://") && !pgUrl.startsWith("postgres://")) {
      throw new IllegalArgumentException("QUEEN_PG_URL must look like postgresql://user:pass@host:port/db");
    }
    if (dataDir == null) {
      throw new IllegalArgumentException("QUEEN_DATA_DIR is required");
    }
    dataDir = dataDir.toAbsolutePath().normalize();
    if (poolSize < 1) {
      throw new IllegalArgumentException("QUEEN_PG_POOL_SIZE must be at least 1, got " + poolSize);
    }
  }

  public boolean embedded() {
    return pgUrl == null;
  }
}
