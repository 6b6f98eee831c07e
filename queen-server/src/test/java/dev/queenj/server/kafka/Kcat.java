package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The {@code kcat} command (librdkafka): tests using it are skipped, with a message saying so, where it is not
 * installed; {@code .ci/run} installs it.
 */
final class Kcat {
  private static final int WAIT_SECONDS = 60;

  private Kcat() {}

  /** Skips the calling test (class) unless kcat runs. */
  static void assumeInstalled(String test) {
    boolean installed;
    try {
      installed = new ProcessBuilder("kcat", "-V").redirectErrorStream(true).start().waitFor(WAIT_SECONDS,
          TimeUnit.SECONDS);
    } catch (IOException e) {
      installed = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      installed = false;
    }
    if (!installed) {
      System.err.println(test + " SKIPPED: kcat is not installed (apt-get install -y kcat)");
    }
    Assumptions.assumeTrue(installed, "kcat is not installed (apt-get install -y kcat)");
  }

  /** What one run printed and its exit status. */
  record Result(int status, String out, String err) {}

  /** Runs kcat with {@code command} (after "kcat"), feeding it {@code input} (or nothing); answers its stdout. */
  static String run(String input, String... command) throws Exception {
    Result result = exec(input, command);
    assertThat(result.status()).as("kcat exit code; stderr: %s", result.err()).isZero();
    return result.out();
  }

  /** Runs kcat as {@link #run} does, whatever its exit status. */
  static Result exec(String input, String... command) throws Exception {
    String[] full = new String[command.length + 1];
    full[0] = "kcat";
    System.arraycopy(command, 0, full, 1, command.length);
    Path err = Files.createTempFile("kcat-", ".err");
    try {
      Process process = new ProcessBuilder(full).redirectError(err.toFile()).start();
      if (input != null) {
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("kcat finished").isTrue();
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /**
   * Whether kcat's librdkafka sends SCRAM's final nonce as RFC 5802 says: before 2.6.1 it repeats the client nonce
   * (librdkafka#4895), which Kafka 4 brokers, like this server, refuse.
   */
  static boolean scramNonceFixed() throws Exception {
    Matcher version = Pattern.compile("librdkafka (\\d+)\\.(\\d+)\\.(\\d+)")
        .matcher(exec(null, "-V").out());
    assertThat(version.find()).as("kcat -V names its librdkafka version").isTrue();
    int[] found = {Integer.parseInt(version.group(1)), Integer.parseInt(version.group(2)),
        Integer.parseInt(version.group(3))};
    return Arrays.compare(found, new int[] {2, 6, 1}) >= 0;
  }
}
