package dev.queenj.server;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the embedded Postgres when this JVM dies without stopping it (kill -9, the OOM killer, a crash).
 * {@code pg_ctl} starts Postgres in a session of its own, so it is not our child and no signal sent to us or to our
 * process group reaches it; and a dying JVM runs no shutdown hook.
 *
 * <p>The watchdog is a tiny {@code sh} child blocked reading a pipe whose only writer is this JVM. When the JVM
 * dies, however it dies, the kernel closes the pipe; the read returns at end of file and the child sends Postgres
 * SIGINT, a fast, clean shutdown. This works alike on Linux and macOS, needs no polling and, unlike polling
 * {@code kill -0 <jvm pid>}, cannot mistake another process that got our pid for us. (Linux' PR_SET_PDEATHSIG is
 * out of reach from Java and missing on macOS.) A normal close stops the watchdog before Postgres is stopped.
 */
final class PostgresWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresWatchdog.class);
  private static final long STOP_WAIT_MS = 5_000;

  private final Process process;

  private PostgresWatchdog(Process process) {
    this.process = process;
  }

  /** Watches over the Postgres of {@code postmasterPid}; null, with a warning, if no shell can be started. */
  static PostgresWatchdog start(long postmasterPid) {
    // No variable holds our stdin: the JVM never writes to it, so `read` returns only at end of file.
    String script = "read -r never; kill -INT " + postmasterPid;
    try {
      Process process = new ProcessBuilder("sh", "-c", script)
          .redirectInput(ProcessBuilder.Redirect.PIPE)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      return new PostgresWatchdog(process);
    } catch (IOException e) {
      LOG.warn("no watchdog for the embedded Postgres ({}): if this server is killed, the next start stops the "
          + "Postgres it leaves behind", e.getMessage());
      return null;
    }
  }

  /** Ends the watchdog without letting it signal Postgres: SIGTERM ends the shell while it waits in `read`. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
