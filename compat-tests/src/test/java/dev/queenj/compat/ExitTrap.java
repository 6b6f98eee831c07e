package dev.queenj.compat;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.utils.Exit;

/**
 * Keeps Kafka Connect from ending the test JVM: a Connect herder whose work thread fails calls {@link Exit#exit}
 * (as it should in a worker process), which would crash the whole surefire fork and lose every report. While a trap
 * is installed, that call is recorded and thrown in the calling thread instead, and {@link #close} reports it.
 */
final class ExitTrap implements AutoCloseable {
  private final String who;
  private final AtomicReference<String> exit = new AtomicReference<>();

  private ExitTrap(String who) {
    this.who = who;
  }

  static ExitTrap install(String who) {
    ExitTrap trap = new ExitTrap(who);
    Exit.setExitProcedure((status, message) -> {
      trap.exit.compareAndSet(null, "exit " + status + (message == null ? "" : ": " + message));
      throw new IllegalStateException(who + " tried to exit the JVM with status " + status);
    });
    return trap;
  }

  /** Restores Kafka's exit; fails if {@code who} tried to exit meanwhile (its log above says why). */
  @Override
  public void close() {
    Exit.resetExitProcedure();
    if (exit.get() != null) {
      throw new IllegalStateException(who + " failed and tried to exit the JVM (" + exit.get() + "); see its log");
    }
  }
}
