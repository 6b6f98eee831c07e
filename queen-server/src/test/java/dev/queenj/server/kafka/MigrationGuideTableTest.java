package dev.queenj.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.queenj.kafka.testing.KafkaConnection;
import dev.queenj.server.RunningServer;
import dev.queenj.server.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The migration guide's API table is what ApiVersions advertises, row for row: a handler added, dropped or widened
 * without the guide following fails here.
 */
@ExtendWith(RunningServer.class)
class MigrationGuideTableTest {
  static final Path GUIDE = Path.of(System.getProperty("basedir", "."))
      .resolve("../migration-guide/README.md").normalize();
  private static final String TABLE_HEADER = "| API | key | versions advertised |";
  /** {@code | Produce | 0 | 0–12 | ...}: name, key, min and (optionally) max version. */
  private static final Pattern ROW =
      Pattern.compile("^\\| *([A-Za-z]+) *\\| *(\\d+) *\\| *(\\d+)(?: *[–-] *(\\d+))? *\\|.*$");

  private final TestServer server;

  MigrationGuideTableTest(TestServer server) {
    this.server = server;
  }

  @Test
  void theGuidesApiTableIsExactlyWhatApiVersionsAdvertises() throws IOException {
    // given the table as the guide prints it
    Map<Short, String> documented = documentedRanges();

    // when a client asks the running server
    Map<Short, String> advertised = new TreeMap<>();
    try (KafkaConnection connection = KafkaConnection.open(server.kafkaPort())) {
      ApiVersionsResponse response = connection.roundTrip(new ApiVersionsRequest.Builder().build((short) 4));
      for (ApiVersion v : response.data().apiKeys()) {
        advertised.put(v.apiKey(), row(ApiKeys.forId(v.apiKey()).name, v.minVersion(), v.maxVersion()));
      }
    }

    // then every advertised API has its row, with its name and range, and there is no other row
    assertThat(documented).as("the API table of %s (actual) against ApiVersions (expected)", GUIDE)
        .isEqualTo(advertised);
  }

  /** The rows of the table under {@link #TABLE_HEADER}, by key, as "name min-max". */
  private static Map<Short, String> documentedRanges() throws IOException {
    List<String> lines = Files.readAllLines(GUIDE);
    int header = lines.indexOf(lines.stream().filter(line -> line.startsWith(TABLE_HEADER)).findFirst()
        .orElseThrow(() -> new AssertionError(GUIDE + " has no table headed " + TABLE_HEADER)));
    Map<Short, String> rows = new TreeMap<>();
    // skip the header and its |---| line; the table ends at the first line that is not a row
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      Matcher row = ROW.matcher(lines.get(i));
      assertThat(row.matches()).as("a row of the API table: %s", lines.get(i)).isTrue();
      short key = Short.parseShort(row.group(2));
      short min = Short.parseShort(row.group(3));
      short max = row.group(4) == null ? min : Short.parseShort(row.group(4));
      String previous = rows.put(key, row(row.group(1), min, max));
      assertThat(previous).as("key %s listed twice", key).isNull();
    }
    return rows;
  }

  private static String row(String name, short min, short max) {
    return name + " " + min + "-" + max;
  }
}
