package dev.queenj.server.kafka;

import dev.queenj.server.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.TopicCommand;

/**
 * Kafka's own {@code kafka-topics} tool ({@link TopicCommand}), run in-process against a {@link TestServer}. It has
 * no public entry point that returns: {@code main} always ends in {@link Exit#exit}, and the command itself exits
 * before that. The exit procedure is swapped for one that records the first status and throws, so the tool stops
 * there instead of stopping the test JVM (its own catch-all then prints that exception and exits again, ignored).
 */
final class TopicCli {
  /** What one run printed and its exit status. */
  record Result(int status, String out, String err) {}

  /** Unwinds the tool's {@code main} instead of exiting. */
  private static final class ExitCalled extends RuntimeException {
    ExitCalled(int status) {
      super("kafka-topics exited with " + status, null, false, false);
    }
  }

  private TopicCli() {}

  /** Runs {@code kafka-topics --bootstrap-server <server> args...}; stdout and stderr are captured for the run. */
  static synchronized Result run(TestServer server, String... args) {
    List<String> command = new ArrayList<>(List.of("--bootstrap-server", "localhost:" + server.kafkaPort()));
    command.addAll(List.of(args));
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
      TopicCommand.main(command.toArray(new String[0]));
      throw new IllegalStateException("kafka-topics returned without exiting");
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
