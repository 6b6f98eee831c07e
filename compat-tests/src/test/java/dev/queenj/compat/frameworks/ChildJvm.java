package dev.queenj.compat.frameworks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A main class of the test classpath run as its own JVM, its output in a log file: an application instance that a
 * test can kill for real ({@link #kill()} is SIGKILL: no shutdown hook, no flush, no commit).
 */
final class ChildJvm implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);
  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildJvm start(Class<?> main, Path log, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        main.getName()));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(log.getParent());
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      return new ChildJvm(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + main.getName(), e);
    }
  }

  /** Waits until the process printed {@code line}. */
  void awaitLine(String line, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!printed(line)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(log.getFileName() + ": the process exited before printing " + line);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(log.getFileName() + ": no " + line + " within " + timeout);
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  private boolean printed(String line) {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8).contains(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the process did not die within 30 s of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the killed process to end", e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
