package dev.queenj.server.kafka;

import dev.queenj.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.ClusterTool;
import org.apache.kafka.tools.TopicCommand;
import org.apache.kafka.tools.TransactionsCommand;

/**
 * Kafka's own command-line tools ({@code kafka-topics}: {@link TopicCommand}, {@code kafka-cluster}:
 * {@link ClusterTool}, any other through {@link #tool}), run in-process against a {@link TestServer}. They have no
 * public entry point that returns a status: most {@code main}s end in {@link Exit#exit}, and a command may exit
 * before that. The exit procedure is swapped for one that records the first status and throws, so the tool stops
 * there instead of stopping the test JVM (its own catch-all then prints that exception and exits again, ignored); a
 * {@code main} that returns has succeeded, as the JVM would then exit with 0.
 */
final class KafkaCli {
  /** What one run printed and its exit status. */
  record Result(int status, String out, String err) {}

  /** Unwinds the tool's {@code main} instead of exiting. */
  private static final class ExitCalled extends RuntimeException {
    ExitCalled(int status) {
      super("the tool exited with " + status, null, false, false);
    }
  }

  private KafkaCli() {}

  /** Runs {@code kafka-topics --bootstrap-server <server> args...}. */
  static Result topics(TestServer server, String... args) {
    return tool(server, TopicCommand::main, args);
  }

  /** Runs {@code kafka-cluster <subcommand> --bootstrap-server <server>}. */
  static Result cluster(TestServer server, String subcommand) {
    return run(ClusterTool::main, List.of(subcommand, "--bootstrap-server", "localhost:" + server.kafkaPort()));
  }

  /** Runs the tool whose {@code main} is given with {@code --bootstrap-server <server> args...}. */
  static Result tool(TestServer server, Consumer<String[]> main, String... args) {
    List<String> command = new ArrayList<>(List.of("--bootstrap-server", "localhost:" + server.kafkaPort()));
    command.addAll(List.of(args));
    return run(main, command);
  }

  /** Runs {@code kafka-transactions --bootstrap-server <server> args...}. */
  static Result transactions(TestServer server, String... args) {
    return tool(server, arguments -> {
      try {
        TransactionsCommand.main(arguments);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("kafka-transactions failed", e);
      }
    }, args);
  }

  /** Runs a tool's {@code main}; stdout and stderr are captured for the run. */
  private static synchronized Result run(Consumer<String[]> main, List<String> command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    int[] status = {-1};
    Exit.setExitProcedure((code, message) -> {
      if (status[0] < 0) {
        status[0] = code;
      }
      throw new ExitCalled(code);
    });
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      main.accept(command.toArray(new String[0]));
      // some tools (kafka-consumer-groups) return from main when they succeed: the JVM would then exit with 0
      status[0] = 0;
    } catch (ExitCalled exit) {
      // the status is the first one recorded
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
      Exit.resetExitProcedure();
    }
    return new Result(status[0], out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
