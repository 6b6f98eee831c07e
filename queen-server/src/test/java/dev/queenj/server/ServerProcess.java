package dev.queenj.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Main} run as a child JVM on the embedded Postgres in one data directory, as a user runs the jar, on
 * ephemeral ports: the only way to test what signals, exit codes and a killed JVM do.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("native HTTP API on http://localhost:(\\d+), Kafka on [^:\\s]+:(\\d+)");

  /** The ports the started server printed. */
  record Ports(int http, int kafka) {}

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Ports> listening = new CompletableFuture<>();
  private final Thread reader;

  private ServerProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::readOutput, "server-" + process.pid() + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the server; it may still fail, see {@link #awaitListening} and {@link #awaitExit}. */
  static ServerProcess start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /** Starts the server with these settings (environment variables) besides its data directory. */
  static ServerProcess start(Path dataDir, Map<String, String> settings) {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--http-port", "0",
        "--kafka-port", "0")
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("QUEEN_") || name.equals("PORT"));
    env.put("QUEEN_DATA_DIR", dataDir.toString());
    env.putAll(settings);
    try {
      return new ServerProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the server on an existing Postgres at {@code pgUrl} (instead of an embedded one in its data directory,
   * which here only holds the outage buffer), with these settings besides: how several instances share a database.
   */
  static ServerProcess startOn(String pgUrl, Path dataDir, Map<String, String> settings) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("QUEEN_PG_URL", pgUrl);
    return start(dataDir, all);
  }

  /** The ports once the server printed where it listens; fails if it exits first or takes longer. */
  Ports awaitListening(Duration timeout) throws Exception {
    try {
      return listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the server did not listen within " + timeout + "; output: " + output, e);
    }
  }

  /** The exit code, once the JVM exited and its output is read; fails if that takes longer than {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the server did not exit within " + timeout + "; output: " + output);
    }
    reader.join(timeout.toMillis());
    return process.exitValue();
  }

  /**
   * SIGTERM through the handle: Process.destroy() would also close our end of the output pipe, losing what the
   * stop prints.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** kill -9 of the JVM and, if {@code withChildren}, of every process it started that is still its descendant. */
  void kill(boolean withChildren) {
    if (withChildren) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
    }
    process.toHandle().destroyForcibly();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  List<String> output() {
    return output;
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
        Matcher matcher = LISTENING.matcher(line);
        if (matcher.find()) {
          listening.complete(new Ports(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))));
        }
      }
      listening.completeExceptionally(new AssertionError("the server exited before listening: " + output));
    } catch (IOException e) {
      listening.completeExceptionally(e);
    }
  }

  /** Leaves nothing running, whatever the test did: a killed server's watchdog stops its Postgres. */
  @Override
  public void close() {
    kill(false);
  }
}
