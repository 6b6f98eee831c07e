package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.util.ArrayList;
import java.util.List;
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
  private final TestServer server;

  KcatTest(TestServer server) {
    this.server = server;
  }

  @BeforeAll
  static void kcatInstalled() {
    Kcat.assumeInstalled("KcatTest");
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
    Kcat.run(String.join("\n", lines) + "\n", "-P", "-b", broker, "-t", topic, "-p", "0", "-z", codec,
        "-K", ":", "-X", "enable.idempotence=true");

    String consumed = Kcat.run(null, "-C", "-b", broker, "-t", topic, "-p", "0", "-o", "beginning", "-e",
        "-c", "20", "-f", "%k:%s\\n");

    assertThat(consumed.lines().toList()).containsExactlyElementsOf(lines);
  }
}
