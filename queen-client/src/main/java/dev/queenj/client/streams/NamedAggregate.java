package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Queen's named-extractor {@code aggregate({count, sum, min, max, avg, ...})} (JS {@code AggregateOperator}, ported
 * as is to Python and Go): each window's value is an object with one field per extractor, in the given order.
 * {@code count} adds the extractor's number, or 1 when it returns none; {@code sum} and any other name add its
 * number (a non-number adds 0); {@code min}/{@code max} keep the extreme of the numbers (null until one comes);
 * {@code avg} keeps {@code __avg_sum} and {@code __avg_count} in the object next to {@code avg}, as Queen does, so
 * they reach the sink too. Numbers stay integers while every operand is one; a whole result of a division is
 * written as an integer, as JavaScript writes it.
 */
final class NamedAggregate {
  private static final String AVG_SUM = "__avg_sum";
  private static final String AVG_COUNT = "__avg_count";
  private final List<String> fields;
  private final List<Function<JsonNode, ?>> extractors;

  private NamedAggregate(List<String> fields, List<Function<JsonNode, ?>> extractors) {
    this.fields = List.copyOf(fields);
    this.extractors = List.copyOf(extractors);
  }

  static NamedAggregate of(Map<String, ? extends Function<JsonNode, ?>> extractors) {
    if (extractors == null || extractors.isEmpty()) {
      throw new IllegalArgumentException("aggregate requires at least one extractor");
    }
    List<String> fields = new ArrayList<>();
    List<Function<JsonNode, ?>> functions = new ArrayList<>();
    extractors.forEach((name, extractor) -> {
      if (name == null || name.isEmpty() || extractor == null) {
        throw new IllegalArgumentException("aggregate." + name + " must be a named function");
      }
      fields.add(name);
      functions.add(extractor);
    });
    return new NamedAggregate(fields, functions);
  }

  List<String> fields() {
    return fields;
  }

  /** Queen's starting object: {@code min}/{@code max} null, {@code avg} with its two hidden totals, the rest 0. */
  ObjectNode initial() {
    ObjectNode initial = StreamJson.object();
    for (String name : fields) {
      switch (name) {
        case "min", "max" -> initial.putNull(name);
        case "avg" -> initial.put(AVG_SUM, 0).put(AVG_COUNT, 0).put("avg", 0);
        default -> initial.put(name, 0);
      }
    }
    return initial;
  }

  JsonNode add(JsonNode acc, JsonNode value) {
    ObjectNode next = acc != null && acc.isObject() ? ((ObjectNode) acc).deepCopy() : StreamJson.object();
    for (int i = 0; i < fields.size(); i++) {
      String name = fields.get(i);
      JsonNode v = StreamJson.tree(extractors.get(i).apply(value));
      boolean number = v != null && v.isNumber();
      switch (name) {
        case "count" -> next.set(name, plus(next.get(name), number ? v : LongNode.valueOf(1)));
        case "min", "max" -> {
          JsonNode current = next.get(name);
          if (number && (current == null || !current.isNumber()
              || (name.equals("min") ? v.asDouble() < current.asDouble() : v.asDouble() > current.asDouble()))) {
            next.set(name, v);
          }
        }
        case "avg" -> {
          if (number) {
            JsonNode sum = plus(next.get(AVG_SUM), v);
            JsonNode count = plus(next.get(AVG_COUNT), LongNode.valueOf(1));
            next.set(AVG_SUM, sum);
            next.set(AVG_COUNT, count);
            next.set("avg", StreamJson.number(sum.asDouble() / count.asDouble()));
          }
        }
        default -> next.set(name, plus(next.get(name), number ? v : LongNode.valueOf(0)));
      }
    }
    return next;
  }

  /** {@code (a || 0) + b} on numbers. */
  private static JsonNode plus(JsonNode a, JsonNode b) {
    JsonNode left = a != null && a.isNumber() ? a : LongNode.valueOf(0);
    if (left.isIntegralNumber() && b.isIntegralNumber() && left.canConvertToLong() && b.canConvertToLong()) {
      return LongNode.valueOf(left.asLong() + b.asLong());
    }
    return StreamJson.number(left.asDouble() + b.asDouble());
  }

}
