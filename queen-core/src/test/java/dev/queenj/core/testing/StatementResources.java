package dev.queenj.core.testing;

import static dev.queenj.core.testing.TestPostgres.await;

import dev.queenj.core.storage.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The statements a module keeps as {@code .sql} resources, checked against Postgres as the driver sends them. The
 * driver keeps a statement prepared on its connection only when Postgres can tell every parameter's type from the
 * text alone; otherwise it prepares it again, with types taken from the values, on every execution (one failed
 * parse, one more round trip and a fresh plan each time), which no test of results would notice.
 */
public final class StatementResources {
  private StatementResources() {}

  /**
   * The statements under the classpath directory {@code root} (this module's classes, e.g. {@code dev/queenj/core})
   * that Postgres cannot prepare without parameter types, each with its error; schema migrations are not statements.
   */
  public static List<String> notPreparableAsWritten(Database database, String root) {
    List<String> failures = new ArrayList<>();
    for (Path file : sqlFiles(root)) {
      String sql = read(file);
      try {
        await(database.pool().withConnection(connection -> connection.prepare(sql)));
      } catch (RuntimeException e) {
        failures.add(file.getFileName() + ": " + e.getMessage());
      }
    }
    return failures;
  }

  /** The {@code .sql} files under {@code root}, outside its migrations; fails when there are none. */
  public static List<Path> sqlFiles(String root) {
    List<Path> found = new ArrayList<>();
    try {
      // main and test classes both hold the package directory; only file system ones (a module's own) are walked
      for (URL url : Collections.list(StatementResources.class.getClassLoader().getResources(root))) {
        if (!"file".equals(url.getProtocol())) {
          continue;
        }
        try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
          files.filter(f -> f.toString().endsWith(".sql")).filter(f -> !f.toString().contains("/migration/"))
              .forEach(found::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (found.isEmpty()) {
      throw new IllegalStateException("no statements under " + root);
    }
    Collections.sort(found);
    return found;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
