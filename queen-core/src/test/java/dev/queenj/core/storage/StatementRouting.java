package dev.queenj.core.storage;

import dev.queenj.core.storage.TablePlacements.Kind;
import dev.queenj.core.storage.TablePlacements.Placement;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one statement's generic plan ({@code EXPLAIN (VERBOSE, FORMAT JSON)}) says about running it on a distributed
 * Postgres: the tables it touches and, per co-location group, whether every row it reads or writes is pinned to one
 * value of the distribution column (one shard: Citus routes the statement to one worker) or not.
 *
 * <p>A scan counts as pinned when its quals hold a top-level {@code column = $n} (or a literal): the planner derives
 * such a qual for every member of an equivalence class with a parameter in it, so a join on the column carries the
 * pin to each joined table whatever the join order. A join on another column ({@code pc.partition_id = p.id}) pins
 * nothing a router could use. An INSERT is pinned by the value its source gives the column. Rows a foreign key's ON
 * DELETE CASCADE removes are never pinned: the cascade runs on every shard.
 */
final class StatementRouting {
  private static final String QUEUE_GROUP = "queue";
  private static final String ONE = "one";
  /** One queue as far as the statement says (by partition id, queue name, a join), but no queue id to route by. */
  private static final String ONE_QUEUE_UNROUTED = "one-queue-unrouted";
  private static final String MANY = "many";
  private static final String QUEUE_KEY = "queue";
  private static final String PARTITION_KEY = "partition";
  private static final String QUEUE_NAME = "queue-name";
  private static final Pattern PSEUDO_CONSTANT =
      Pattern.compile("^\\(*(\\$\\d+|'(?:[^']|'')*'|-?\\d+|true|false)\\)*(?:::[a-z_ ]+(?:\\[\\])?)*$");
  private static final Pattern COLUMN = Pattern.compile("^\\(*(?:(\\w+|\"[^\"]+\")\\.)?(\\w+)\\)*(?:::[a-z_ ]+)*$");
  /** Postgres up to 16 names an InitPlan's outputs {@code $n} like the statement's parameters (17: {@code (InitPlan 1).col1}). */
  private static final Pattern INIT_PLAN_OUTPUTS = Pattern.compile("^InitPlan \\d+ \\(returns (.+)\\)$");
  private static final Pattern FUNCTION = Pattern.compile("\\b(queen_\\w+|pg_advisory\\w*|nextval|pg_notify)\\(");

  /** {@code node.column = otherNode.otherColumn}, a node being a scan's alias or an INSERT's target. */
  private record Link(String node, String column, String otherNode, String otherColumn) {}

  /** {@code node.column = value}, an INSERT's source putting a constant in a key column. */
  private record Given(String node, String column, String value) {}

  /** One read of a table: its alias and, per column, the constants the column is pinned to. */
  private record Scan(String table, String alias, Map<String, Set<String>> pins) {}

  /**
   * One table's rows in the statement, read or written under {@code node} (its alias), pinned to these values of its
   * distribution column (empty: not pinned).
   */
  private record Touch(String table, String node, Set<String> values) {}

  /** The statement's line in the checked-in table. */
  record Verdict(String tables, String routing, String verdict, String rowLocks, String functions) {
    String line(String statement) {
      return String.join("\t", statement, tables, routing, verdict, rowLocks, functions);
    }
  }

  private final TablePlacements placements;
  private final Map<String, List<String>> columnsByTable;
  private final Map<String, Set<String>> cascades;
  private final String defaultSchema;
  private final List<Scan> scans = new ArrayList<>();
  private final List<JsonObject> inserts = new ArrayList<>();
  private final Set<String> written = new TreeSet<>();
  private final Set<String> deleted = new TreeSet<>();
  /**
   * Values a subquery computes while the statement runs: a router has no value to prune by (and a subquery output may
   * print like a parameter, so a pin on that name counts as none: the check errs towards fanning out).
   */
  private final Set<String> computed = new HashSet<>();
  /** SELECT ... FOR UPDATE / SHARE: Citus runs those on one shard only. */
  private boolean rowLocks;
  /** Column-to-column equalities anywhere in the plan (join quals, index quals on outer columns, hash keys). */
  private final List<Link> links = new ArrayList<>();
  private final List<Given> given = new ArrayList<>();

  /**
   * {@code columnsByTable}: each table's columns in attribute order (a dropped one as null), as an INSERT's source
   * lists them; {@code cascades}: per table, the tables whose rows an ON DELETE CASCADE foreign key removes with its.
   */
  StatementRouting(TablePlacements placements, Map<String, List<String>> columnsByTable,
      Map<String, Set<String>> cascades, String defaultSchema) {
    this.placements = placements;
    this.columnsByTable = columnsByTable;
    this.cascades = cascades;
    this.defaultSchema = defaultSchema;
  }

  /** {@code explain}: the whole {@code EXPLAIN (VERBOSE, FORMAT JSON)} answer. */
  Verdict classify(JsonArray explain) {
    JsonObject root = explain.getJsonObject(0).getJsonObject("Plan");
    collectComputed(root);
    walk(root);

    List<Touch> touches = new ArrayList<>();
    for (Scan scan : scans) {
      touches.add(scanTouch(scan));
    }
    for (JsonObject insert : inserts) {
      touches.add(insertTouch(insert));
    }
    Set<String> cascaded = new TreeSet<>();
    for (String table : deleted) {
      cascaded(table, cascaded);
    }
    cascaded.removeAll(written);
    for (String table : cascaded) {
      touches.add(new Touch(table, "cascade:" + table, Set.of()));
    }

    Set<String> tables = new TreeSet<>();
    for (Touch touch : touches) {
      tables.add(touch.table());
    }
    tables.addAll(written);
    List<String> named = new ArrayList<>();
    boolean reference = false;
    boolean referenceWrite = false;
    boolean local = false;
    for (String table : tables) {
      named.add(table + (cascaded.contains(table) ? "(cascade)" : written.contains(table) ? "(w)" : ""));
      Placement placement = placements.of(table);
      if (placement.kind() == Kind.REFERENCE) {
        reference = true;
        referenceWrite |= written.contains(table) || cascaded.contains(table);
      } else if (placement.kind() == Kind.LOCAL) {
        local = true;
      }
    }

    Map<String, List<Touch>> byGroup = new TreeMap<>();
    for (Touch touch : touches) {
      Placement placement = placements.of(touch.table());
      if (placement.kind() == Kind.DISTRIBUTED) {
        byGroup.computeIfAbsent(placement.group(), g -> new ArrayList<>()).add(touch);
      }
    }
    QueueIdentity queues = new QueueIdentity();
    Map<String, String> groups = new TreeMap<>();
    byGroup.forEach((group, members) -> groups.put(group, pinning(group, members, queues)));

    String verdict;
    if (groups.isEmpty()) {
      verdict = local ? "coordinator" : referenceWrite ? "reference-write" : reference ? "reference" : "no-table";
    } else if (groups.containsValue(MANY)) {
      verdict = "multi-shard";
    } else if (groups.size() > 1) {
      verdict = "cross-group";
    } else if (groups.containsValue(ONE_QUEUE_UNROUTED)) {
      verdict = "needs-queue_id";
    } else {
      verdict = "single-shard";
    }
    if (!groups.isEmpty() && local) {
      verdict += "+local";
    }
    if (!groups.isEmpty() && referenceWrite) {
      verdict += "+reference-write";
    }
    List<String> routing = new ArrayList<>();
    groups.forEach((group, pin) -> routing.add(group + "=" + pin));
    Set<String> functions = new TreeSet<>();
    Matcher calls = FUNCTION.matcher(explain.encode());
    while (calls.find()) {
      functions.add(calls.group(1));
    }
    return new Verdict(String.join(" ", named), routing.isEmpty() ? "-" : String.join(" ", routing), verdict,
        rowLocks ? "for-update" : "-", functions.isEmpty() ? "-" : String.join(" ", functions));
  }

  private void collectComputed(JsonObject node) {
    Matcher outputs = INIT_PLAN_OUTPUTS.matcher(node.getString("Subplan Name", ""));
    if (outputs.matches()) {
      for (String output : outputs.group(1).split(",")) {
        computed.add(output.strip());
      }
    }
    JsonArray children = node.getJsonArray("Plans");
    for (int i = 0; children != null && i < children.size(); i++) {
      collectComputed(children.getJsonObject(i));
    }
  }

  private void walk(JsonObject node) {
    for (String key : List.of("Index Cond", "Recheck Cond", "Filter", "Join Filter", "Hash Cond", "Merge Cond")) {
      String condition = node.getString(key);
      if (condition != null) {
        for (String conjunct : conjuncts(condition)) {
          link(conjunct);
        }
      }
    }
    rowLocks |= "LockRows".equals(node.getString("Node Type"));
    String relation = node.getString("Relation Name");
    if (relation != null) {
      String table = qualified(node.getString("Schema"), relation);
      if ("ModifyTable".equals(node.getString("Node Type"))) {
        written.add(table);
        if ("Insert".equals(node.getString("Operation"))) {
          inserts.add(node);
        } else if ("Delete".equals(node.getString("Operation"))) {
          deleted.add(table);
        }
      } else {
        Map<String, Set<String>> pins = pins(node);
        pins.values().forEach(values -> values.removeAll(computed));
        pins.values().removeIf(Set::isEmpty);
        scans.add(new Scan(table, node.getString("Alias"), pins));
      }
    }
    JsonArray children = node.getJsonArray("Plans");
    if (children != null) {
      for (int i = 0; i < children.size(); i++) {
        walk(children.getJsonObject(i));
      }
    }
  }

  private String qualified(String schema, String relation) {
    return schema == null || schema.equals(defaultSchema) ? relation : schema + "." + relation;
  }

  /** The columns a scan's quals (and its bitmap index scans' conditions) pin to a constant. */
  private static Map<String, Set<String>> pins(JsonObject scan) {
    Map<String, Set<String>> pins = new HashMap<>();
    for (String key : List.of("Index Cond", "Recheck Cond", "Filter", "TID Cond")) {
      String condition = scan.getString(key);
      if (condition != null) {
        for (String conjunct : conjuncts(condition)) {
          pin(conjunct, pins);
        }
      }
    }
    JsonArray children = scan.getJsonArray("Plans");
    if (children != null) {
      for (int i = 0; i < children.size(); i++) {
        JsonObject child = children.getJsonObject(i);
        String type = child.getString("Node Type");
        if (type.startsWith("Bitmap") && !child.containsKey("Relation Name")) {
          pins(child).forEach((column, values) -> pins.computeIfAbsent(column, c -> new HashSet<>()).addAll(values));
        }
      }
    }
    return pins;
  }

  /** {@code column = constant} or {@code constant = column}, at the top level of one conjunct. */
  private static void pin(String conjunct, Map<String, Set<String>> pins) {
    int equals = topLevel(conjunct, " = ");
    if (equals < 0) {
      return;
    }
    String left = conjunct.substring(0, equals).strip();
    String right = conjunct.substring(equals + 3).strip();
    for (String[] side : new String[][] {{left, right}, {right, left}}) {
      Matcher column = COLUMN.matcher(side[0]);
      Matcher constant = PSEUDO_CONSTANT.matcher(side[1]);
      if (column.matches() && constant.matches()) {
        pins.computeIfAbsent(column.group(2), c -> new HashSet<>()).add(constant.group(1));
      }
    }
  }

  /** {@code a.x = b.y}: two columns the statement holds equal. */
  private void link(String conjunct) {
    int equals = topLevel(conjunct, " = ");
    if (equals < 0) {
      return;
    }
    Matcher left = COLUMN.matcher(conjunct.substring(0, equals).strip());
    Matcher right = COLUMN.matcher(conjunct.substring(equals + 3).strip());
    if (left.matches() && right.matches() && left.group(1) != null && right.group(1) != null) {
      links.add(new Link(left.group(1), left.group(2), right.group(1), right.group(2)));
    }
  }

  private Touch scanTouch(Scan scan) {
    Placement placement = placements.of(scan.table());
    Set<String> values = placement.kind() == Kind.DISTRIBUTED
        ? scan.pins().getOrDefault(placement.column(), Set.of()) : Set.of();
    return new Touch(scan.table(), scan.alias(), values);
  }

  /** An INSERT is pinned by what its source puts in the distribution column: a constant, or a pinned column. */
  private Touch insertTouch(JsonObject insert) {
    String table = qualified(insert.getString("Schema"), insert.getString("Relation Name"));
    String node = "insert:" + insert.getString("Alias");
    Placement placement = placements.of(table);
    if (placement.kind() != Kind.DISTRIBUTED) {
      return new Touch(table, node, Set.of());
    }
    JsonObject source = null;
    JsonArray children = insert.getJsonArray("Plans");
    for (int i = 0; children != null && i < children.size(); i++) {
      if ("Outer".equals(children.getJsonObject(i).getString("Parent Relationship"))) {
        source = children.getJsonObject(i);
      }
    }
    if (source == null) {
      throw new IllegalStateException("an INSERT into " + table + " without a source plan");
    }
    JsonArray output = source.getJsonArray("Output");
    List<String> columns = columnsByTable.get(table);
    if (QUEUE_GROUP.equals(placement.group())) {
      // every queue or partition id the source gives the row ties it to that constant or source row
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i) != null && keyKind(table, columns.get(i)) != null) {
          Matcher constant = PSEUDO_CONSTANT.matcher(output.getString(i));
          Matcher column = COLUMN.matcher(output.getString(i));
          if (constant.matches()) {
            given.add(new Given(node, columns.get(i), constant.group(1)));
          } else if (column.matches() && column.group(1) != null) {
            links.add(new Link(node, columns.get(i), column.group(1), column.group(2)));
          }
        }
      }
    }
    int distribution = columns.indexOf(placement.column());
    if (distribution < 0) {
      // the table lacks its planned distribution column today (docs/scale-out.md says so): the row cannot be routed
      return new Touch(table, node, Set.of());
    }
    String expression = output.getString(distribution);
    Matcher constant = PSEUDO_CONSTANT.matcher(expression);
    if (constant.matches()) {
      return new Touch(table, node, Set.of(constant.group(1)));
    }
    Matcher column = COLUMN.matcher(expression);
    if (column.matches() && column.group(1) != null) {
      for (Scan scan : scans) {
        if (column.group(1).equals(scan.alias())) {
          return new Touch(table, node, scan.pins().getOrDefault(column.group(2), Set.of()));
        }
      }
    }
    return new Touch(table, node, Set.of());
  }

  private static String pinning(String group, List<Touch> touches, QueueIdentity queues) {
    Set<String> values = new HashSet<>();
    boolean everyPinned = true;
    Set<String> components = new HashSet<>();
    for (Touch touch : touches) {
      values.addAll(touch.values());
      everyPinned &= !touch.values().isEmpty();
      components.add(queues.component(touch.node()));
    }
    if (everyPinned && values.size() == 1) {
      return ONE;
    }
    boolean oneQueue = QUEUE_GROUP.equals(group) && components.size() == 1
        && queues.identifiesOneQueue(components.iterator().next());
    return oneQueue ? ONE_QUEUE_UNROUTED : MANY;
  }

  /**
   * Which row sets of the statement are known to lie in one queue: those pinned to a constant queue id, partition
   * id, queue name or topic id, and those joined to such a set on a queue or partition id (a partition lies in one
   * queue). Union-find over aliases and constants.
   */
  private final class QueueIdentity {
    private final Map<String, String> parent = new HashMap<>();

    QueueIdentity() {
      for (Scan scan : scans) {
        scan.pins().forEach((column, values) -> {
          String kind = keyKind(scan.table(), column);
          if (kind != null) {
            for (String value : values) {
              union(scan.alias(), kind + ":" + value);
            }
          }
        });
      }
      Map<String, String> tableOf = new HashMap<>();
      for (Scan scan : scans) {
        tableOf.put(scan.alias(), scan.table());
      }
      for (JsonObject insert : inserts) {
        tableOf.put("insert:" + insert.getString("Alias"),
            qualified(insert.getString("Schema"), insert.getString("Relation Name")));
      }
      for (Given value : given) {
        union(value.node(), keyKind(tableOf.get(value.node()), value.column()) + ":" + value.value());
      }
      for (Link link : links) {
        String left = keyKind(tableOf.get(link.node()), link.column());
        String right = keyKind(tableOf.get(link.otherNode()), link.otherColumn());
        // a name equal to another column (a queue name from an array) says nothing of how many queues
        if (left != null && right != null && !left.equals(QUEUE_NAME) && !right.equals(QUEUE_NAME)) {
          union(link.node(), link.otherNode());
        }
      }
    }

    String component(String node) {
      String root = parent.getOrDefault(node, node);
      return root.equals(node) ? node : component(root);
    }

    /** A component with constants in it, no two of one kind (two queue ids could be two queues). */
    boolean identifiesOneQueue(String component) {
      Map<String, Set<String>> constants = new HashMap<>();
      for (String node : new ArrayList<>(parent.keySet())) {
        int colon = node.indexOf(':');
        if (colon > 0 && !node.startsWith("insert:") && component(node).equals(component)) {
          constants.computeIfAbsent(node.substring(0, colon), k -> new HashSet<>()).add(node);
        }
      }
      return !constants.isEmpty() && constants.values().stream().allMatch(c -> c.size() == 1);
    }

    private void union(String a, String b) {
      parent.putIfAbsent(a, a);
      parent.putIfAbsent(b, b);
      String ra = component(a);
      String rb = component(b);
      if (!ra.equals(rb)) {
        parent.put(ra, rb);
      }
    }
  }

  /** Whether a column identifies a queue (or a partition, which lies in one queue), and how. */
  private static String keyKind(String table, String column) {
    if (table == null) {
      return null;
    }
    if ("queues".equals(table)) {
      return switch (column) {
        case "id" -> QUEUE_KEY;
        case "name", "topic_id" -> QUEUE_NAME;
        default -> null;
      };
    }
    if ("partitions".equals(table) && "id".equals(column)) {
      return PARTITION_KEY;
    }
    return switch (column) {
      case "queue_id" -> QUEUE_KEY;
      case "partition_id" -> PARTITION_KEY;
      default -> null;
    };
  }

  private void cascaded(String table, Set<String> into) {
    for (String child : cascades.getOrDefault(table, Set.of())) {
      if (into.add(child)) {
        cascaded(child, into);
      }
    }
  }

  /** The top-level AND-ed parts of a condition as EXPLAIN prints it: {@code ((a = $1) AND (b = c.d))}. */
  private static List<String> conjuncts(String condition) {
    String stripped = stripParentheses(condition.strip());
    int[] depths = depths(stripped);
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < stripped.length(); i++) {
      if (depths[i] == 0 && stripped.startsWith(" AND ", i)) {
        parts.add(stripParentheses(stripped.substring(start, i).strip()));
        start = i + 5;
      }
    }
    parts.add(stripParentheses(stripped.substring(start).strip()));
    return parts;
  }

  /** Removes parentheses that enclose the whole text. */
  private static String stripParentheses(String text) {
    while (text.startsWith("(") && text.endsWith(")") && enclosed(depths(text))) {
      text = text.substring(1, text.length() - 1).strip();
    }
    return text;
  }

  /** Whether the first parenthesis closes only at the end: the depth stays above 0 in between. */
  private static boolean enclosed(int[] depths) {
    for (int i = 1; i < depths.length; i++) {
      if (depths[i] == 0) {
        return false;
      }
    }
    return true;
  }

  /** Where {@code operator} occurs outside parentheses and quotes, or -1. */
  private static int topLevel(String text, String operator) {
    int[] depths = depths(text);
    for (int i = 0; i < text.length(); i++) {
      if (depths[i] == 0 && text.startsWith(operator, i)) {
        return i;
      }
    }
    return -1;
  }

  /** Per character, the parenthesis depth before it; -1 inside a quoted literal, where parentheses do not count. */
  private static int[] depths(String text) {
    int[] depths = new int[text.length()];
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      depths[i] = quoted ? -1 : depth;
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      }
    }
    return depths;
  }
}
