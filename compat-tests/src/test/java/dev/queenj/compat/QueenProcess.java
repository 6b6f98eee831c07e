package dev.queenj.compat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The server under test as its own JVM, run from the runnable jar exactly as users run it: embedded Postgres with its
 * data in a directory of its own, Kafka on a fixed free port. A separate JVM keeps the server on its own kafka-clients
 * while the test JVM holds whichever client version an execution tests, and makes a restart a real process restart
 * (the data directory and the port are kept, so clients reconnect to the same address and find their data).
 *
 * <p>One server per test JVM ({@link #shared()}); tests use topic and group names of their own instead of resetting.
 */
final class QueenProcess implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 120_000;
  private static final String READY = "queen-j: native HTTP API on ";
  private static QueenProcess shared;

  private final Path jar;
  private final Path dataDir;
  private final Path log;
  private final int kafkaPort;
  private Process process;

  private QueenProcess(Path jar, Path dataDir, int kafkaPort) {
    this.jar = jar;
    this.dataDir = dataDir;
    this.log = dataDir.resolve("server.log");
    this.kafkaPort = kafkaPort;
  }

  /** The server of this test JVM, started on first use and stopped when the JVM exits. */
  static synchronized QueenProcess shared() {
    if (shared == null) {
      String jar = System.getProperty("queen.server.jar");
      if (jar == null || !Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException("queen.server.jar must name the runnable server jar, was " + jar);
      }
      try {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "queen-server-");
        shared = new QueenProcess(Path.of(jar), dataDir.toAbsolutePath(), freePort());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      shared.start();
      QueenProcess server = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "queen-server-stop"));
    }
    return shared;
  }

  String bootstrap() {
    return "localhost:" + kafkaPort;
  }

  /** Stops the server as a user would (SIGTERM) and starts it again on the same data and port. */
  synchronized void restart() {
    stop();
    start();
  }

  private synchronized void start() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toString(),
        "--data-dir", dataDir.toString(), "--http-port", "0", "--kafka-port", String.valueOf(kafkaPort),
        "--kafka-advertised-host", "localhost");
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Process started = process;
    // copies the server's output to its log and notices the line it prints once both listeners are up
    Thread copier = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(started.getInputStream(),
          StandardCharsets.UTF_8));
           PrintStream out = new PrintStream(Files.newOutputStream(log, StandardOpenOption.CREATE,
               StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.println(line);
          if (line.startsWith(READY)) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new IllegalStateException("the server exited before it was ready; see " + log));
    }, "queen-server-output");
    copier.setDaemon(true);
    copier.start();
    try {
      ready.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("the server did not start; see " + log, e);
    }
  }

  private synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
