package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table names every {@link Setting}, with its flag, aliases and default, and no other. */
class ReadmeSettingsTableTest {
  private static final Path README = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
  private static final String TABLE_HEADER = "| variable | flag | default | meaning |";
  /** {@code | `QUEEN_HTTP_PORT` (or `PORT`) | `--http-port` | 6632 | ... |} */
  private static final Pattern ROW = Pattern.compile(
      "^\\| *`([A-Z_]+)`(?: \\(or `([A-Z_]+)`\\))? *\\| *`(--[a-z-]+)` *\\| *([^|]*?) *\\|.*$");

  @Test
  void everySettingHasItsRowWithItsFlagAndDefault() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int header = lines.indexOf(TABLE_HEADER);
    assertThat(header).as("%s has a table headed %s", README, TABLE_HEADER).isNotNegative();
    List<String> documented = lines.stream().skip(header + 2L).takeWhile(line -> line.startsWith("|"))
        .map(ReadmeSettingsTableTest::normalized).toList();

    List<String> read = Arrays.stream(Setting.values())
        .map(s -> String.join(" ", s.env, String.join(",", s.aliases), s.flag(), s.defaultValue)).toList();

    assertThat(documented).as("the settings table of %s (actual) against Setting.values() (expected)", README)
        .isEqualTo(read);
  }

  /** "ENV ALIAS --flag default", the README's "unset" and "empty" read as the empty default they describe. */
  private static String normalized(String line) {
    Matcher row = ROW.matcher(line);
    assertThat(row.matches()).as("a row of the settings table: %s", line).isTrue();
    String value = row.group(4).replace("`", "");
    String defaultValue = value.equals("unset") || value.equals("empty") ? "" : value;
    return String.join(" ", row.group(1), row.group(2) == null ? "" : row.group(2), row.group(3), defaultValue);
  }
}
