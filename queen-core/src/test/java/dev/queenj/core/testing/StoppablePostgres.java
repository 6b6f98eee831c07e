package dev.queenj.core.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Postgres of one test's own, for outages on demand: {@link #stop()} shuts it down, {@link #start()} brings it
 * back on the same port with the same data (so clients reconnect to the same URL), and {@link #stall()} freezes its
 * processes (SIGSTOP) so that connections stay open and nothing answers, as a hung server or a black-holed network
 * does. Linux and macOS only (signals are sent with {@code kill}).
 */
public final class StoppablePostgres implements AutoCloseable {
  private final Path dataDir;
  private int port;
  private EmbeddedPostgres postgres;
  private boolean running;
  private final List<Long> stalled = new ArrayList<>();

  private StoppablePostgres(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** A new Postgres with its data in {@code dataDir}, started. */
  public static StoppablePostgres start(Path dataDir) {
    StoppablePostgres server = new StoppablePostgres(dataDir);
    server.start();
    return server;
  }

  /** Starts Postgres unless it runs. */
  public synchronized void start() {
    if (running) {
      return;
    }
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(dataDir)
          .setCleanDataDirectory(false).setPGStartupWait(Duration.ofSeconds(60))
          .setServerConfig("max_connections", "100");
      if (port != 0) {
        builder.setPort(port);
      }
      postgres = builder.start();
      port = postgres.getPort();
      running = true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public synchronized String url() {
    return "postgresql://postgres@localhost:" + port + "/postgres";
  }

  /** Shuts Postgres down: its clients' connections are closed and new ones are refused. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Freezes the postmaster and every backend: connections stay open, nothing is answered. */
  public synchronized void stall() {
    long postmaster = postmasterPid();
    stalled.add(postmaster);
    ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(child -> stalled.add(child.pid())));
    signal("-STOP", stalled);
  }

  /** Undoes {@link #stall()}. */
  public synchronized void resume() {
    if (!stalled.isEmpty()) {
      signal("-CONT", stalled);
      stalled.clear();
    }
  }

  private long postmasterPid() {
    try {
      return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void signal(String signal, List<Long> pids) {
    List<String> command = new ArrayList<>(List.of("kill", signal));
    pids.forEach(pid -> command.add(String.valueOf(pid)));
    try {
      int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    resume();
    stop();
  }
}
