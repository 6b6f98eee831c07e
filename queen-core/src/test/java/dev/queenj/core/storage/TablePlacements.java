package dev.queenj.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each table of the schema would live on a distributed Postgres (Citus), as docs/scale-out.md states it in the
 * table between {@code <!-- placements:begin -->} and {@code <!-- placements:end -->}: the document is the plan, and
 * the statement check classifies every statement against it.
 */
record TablePlacements(Map<String, Placement> byTable) {
  static final String BEGIN = "<!-- placements:begin -->";
  static final String END = "<!-- placements:end -->";

  enum Kind { DISTRIBUTED, REFERENCE, LOCAL }

  /** {@code column} and {@code group} (the co-location group) only for distributed tables. */
  record Placement(String table, Kind kind, String column, String group) {}

  /** Rows {@code | `table` | distributed / reference / local | `column` | group | why |}. */
  static TablePlacements read(Path document) {
    String text;
    try {
      text = Files.readString(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(document + " has no " + BEGIN + " ... " + END + " table");
    }
    Map<String, Placement> placements = new LinkedHashMap<>();
    for (String line : text.substring(begin + BEGIN.length(), end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue; // the header, its rule and blank lines
      }
      List<String> cells = List.of(line.split("\\|", -1)).stream().map(String::strip).toList();
      // cells: "", table, kind, column, group, why, ""
      String table = unquote(cells.get(1));
      Kind kind = Kind.valueOf(cells.get(2).toUpperCase(java.util.Locale.ROOT));
      String column = kind == Kind.DISTRIBUTED ? unquote(cells.get(3)) : null;
      String group = kind == Kind.DISTRIBUTED ? cells.get(4) : null;
      if (kind == Kind.DISTRIBUTED && (column.isEmpty() || group.isEmpty())) {
        throw new IllegalStateException(table + " is distributed but names no column or co-location group");
      }
      if (placements.put(table, new Placement(table, kind, column, group)) != null) {
        throw new IllegalStateException(table + " is placed twice in " + document);
      }
    }
    return new TablePlacements(placements);
  }

  /** A system catalog is every node's own: a statement reading one runs where it is sent, the coordinator. */
  Placement of(String table) {
    if (table.startsWith("pg_catalog.")) {
      return new Placement(table, Kind.LOCAL, null, null);
    }
    Placement placement = byTable.get(table);
    if (placement == null) {
      throw new IllegalStateException(table + " has no placement in docs/scale-out.md");
    }
    return placement;
  }

  private static String unquote(String cell) {
    return cell.replace("`", "").strip();
  }
}
