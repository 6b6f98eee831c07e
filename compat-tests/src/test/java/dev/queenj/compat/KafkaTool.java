package dev.queenj.compat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Exit;

/**
 * Runs one of Kafka's command-line tools in-process: its {@code main} with stdin given and stdout and stderr captured.
 * The tools end in {@link Exit#exit} (some also on the way), so the exit procedure is swapped for one that records the
 * first status and throws, unwinding the tool instead of stopping the test JVM; a tool that returns exited with 0.
 * One tool at a time, since the standard streams are global.
 */
final class KafkaTool {
  /** What one run printed and its exit status. */
  record Result(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A tool's entry point. */
  interface Main {
    void run(String[] args) throws Exception;

    /** Work run while the streams are captured. */
    interface Body {
      void run() throws Exception;
    }
  }

  /** Unwinds the tool's {@code main} instead of exiting. */
  private static final class ExitCalled extends RuntimeException {
    ExitCalled(int status) {
      super("the tool exited with " + status, null, false, false);
    }
  }

  private KafkaTool() {}

  static Result run(Main main, String stdin, String... args) {
    return capture(stdin, () -> main.run(args));
  }

  /** Runs {@code body} with the standard streams captured and exits trapped. */
  static synchronized Result capture(String stdin, Main.Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    InputStream originalIn = System.in;
    int[] status = {-1};
    Exit.setExitProcedure((code, message) -> {
      if (status[0] < 0) {
        status[0] = code;
      }
      throw new ExitCalled(code);
    });
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      body.run();
      status[0] = Math.max(status[0], 0);
    } catch (ExitCalled exit) {
      // the status is the first one recorded
    } catch (Exception e) {
      throw new IllegalStateException("the tool failed; it printed:\n" + err.toString(StandardCharsets.UTF_8), e);
    } finally {
      System.setIn(originalIn);
      System.setOut(originalOut);
      System.setErr(originalErr);
      Exit.resetExitProcedure();
    }
    return new Result(status[0], out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
