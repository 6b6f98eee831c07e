package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kcat (librdkafka) producing with each codec and consuming back. Skipped, with a message saying so, where kcat is
 * not installed; {@code .ci/run} installs it.
 */
@ExtendWith(RunningServer.class)
class KcatTest {
  private static final int WAIT_SECONDS = 60;
  private final TestServer server;

  KcatTest(TestServer server) {
    this.server = server;
  }

  @BeforeAll
  static void kcatInstalled() {
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
      System.err.println("KcatTest SKIPPED: kcat is not installed (apt-get install -y kcat)");
    }
    Assumptions.assumeTrue(installed, "kcat is not installed (apt-get install -y kcat)");
  }

  private String run(String input, String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (input != null) {
      process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("kcat finished").isTrue();
    assertThat(process.exitValue()).as("kcat exit code").isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "-z {0}")
  @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
  void producesWithEachCodecAndConsumesBack(String codec) throws Exception {
    String broker = "localhost:" + server.kafkaPort();
    String topic = "kcat-" + codec;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lines.add("key-" + i + ":{\"n\":" + i + "}");
    }
    run(String.join("\n", lines) + "\n", "kcat", "-P", "-b", broker, "-t", topic, "-p", "0", "-z", codec,
        "-K", ":", "-X", "enable.idempotence=true");

    String consumed = run(null, "kcat", "-C", "-b", broker, "-t", topic, "-p", "0", "-o", "beginning", "-e",
        "-c", "20", "-f", "%k:%s\\n");

    assertThat(consumed.lines().toList()).containsExactlyElementsOf(lines);
  }
}
