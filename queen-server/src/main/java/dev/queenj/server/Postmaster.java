package dev.queenj.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Postgres server of one data directory, as the first line of its {@code postmaster.pid} names it. Postgres
 * removes that file when it stops cleanly, so a file left behind means either a Postgres still running (its server
 * was killed) or a stale pid that the OS may since have given to an unrelated process.
 */
final class Postmaster {
  private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
  static final String PID_FILE = "postmaster.pid";

  /** What the pid in {@code postmaster.pid} is now. */
  enum Found {
    /** no file, or nothing runs under that pid any more: Postgres starts normally */
    NOTHING,
    /** a Postgres serving this very data directory */
    POSTGRES_ON_THIS_DIR,
    /** a live process that is not a Postgres on this directory: the pid was reused */
    OTHER_PROCESS,
    /** a live process the OS does not let us inspect (another user's, for instance) */
    UNKNOWN
  }

  private final Path pgData;
  private final long pid;

  private Postmaster(Path pgData, long pid) {
    this.pgData = pgData;
    this.pid = pid;
  }

  /** The postmaster named in {@code pgData/postmaster.pid}, if the file exists and names one. */
  static Optional<Postmaster> of(Path pgData) {
    try {
      List<String> lines = Files.readAllLines(pgData.resolve(PID_FILE));
      return lines.isEmpty() ? Optional.empty()
          : Optional.of(new Postmaster(pgData, Long.parseLong(lines.get(0).strip())));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (NumberFormatException e) {
      // Postgres writes the file in steps; a torn or garbled one names no process we could check
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pgData.resolve(PID_FILE) + ": " + e.getMessage(), e);
    }
  }

  long pid() {
    return pid;
  }

  /**
   * Checks the pid against the process it now names: its executable must be {@code postgres} and its {@code -D}
   * argument this data directory. Pids are reused, after a reboot or a container restart most of all, and a pid
   * file alone would have us signal an unrelated process.
   */
  Found find() {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return Found.NOTHING;
    }
    ProcessHandle.Info info = process.get().info();
    Optional<String> command = info.command();
    Optional<String[]> arguments = info.arguments();
    if (command.isEmpty() || arguments.isEmpty()) {
      return Found.UNKNOWN;
    }
    Path executable = Path.of(command.get()).getFileName();
    if (executable == null || !executable.toString().equals("postgres")) {
      return Found.OTHER_PROCESS;
    }
    String[] args = arguments.get();
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-D") && sameFile(Path.of(args[i + 1]), pgData)) {
        return Found.POSTGRES_ON_THIS_DIR;
      }
    }
    return Found.OTHER_PROCESS;
  }

  /**
   * Stops this Postgres as {@code pg_ctl stop -m fast} would: SIGINT, a fast shutdown that ends sessions, writes a
   * checkpoint and exits cleanly. If it has not exited after {@code fastDeadline}, SIGQUIT, an immediate shutdown:
   * no checkpoint, so the next start replays the WAL, which loses nothing committed (fsync is on). SIGKILL is never
   * sent: a postmaster killed that way leaves its backends attached to shared memory, and Postgres then refuses to
   * start until they are gone.
   *
   * @return whether it exited
   */
  boolean stop(Duration fastDeadline, Duration immediateDeadline) {
    ProcessHandle process = ProcessHandle.of(pid).orElse(null);
    if (process == null) {
      return true;
    }
    return signalAndWait(process, "INT", fastDeadline) || signalAndWait(process, "QUIT", immediateDeadline);
  }

  private boolean signalAndWait(ProcessHandle process, String signal, Duration deadline) {
    LOG.info("sending SIG{} to Postgres {} on {}", signal, pid, pgData);
    try {
      // ProcessHandle can only send SIGTERM and SIGKILL; SIGTERM is Postgres' "smart" shutdown, which waits for
      // every client to disconnect. kill(1) is on every Unix.
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
      process.onExit().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (IOException | ExecutionException e) {
      LOG.warn("cannot send SIG{} to Postgres {}: {}", signal, pid, e.toString());
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
