package dev.queenj.kafka.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The values a config accepts, checked as Kafka's {@code ConfigDef} validators check them (type, range, list of
 * allowed strings), and said in words for the error a client gets otherwise.
 *
 * @param expected what a valid value looks like, completing "Value must be ..."
 */
record ValidValues(Predicate<String> test, String expected) {
  /** Kafka's {@code ThrottledReplicaListValidator}: empty, {@code *}, or {@code partition:broker} pairs. */
  private static final Pattern THROTTLED_REPLICAS = Pattern.compile("\\*|(\\d+:\\d+)?(\\s*,\\s*\\d+:\\d+)*");

  boolean accepts(String value) {
    return value != null && test.test(value.trim());
  }

  /** The values either accepts. */
  ValidValues or(ValidValues other) {
    return new ValidValues(test.or(other.test), expected + " or " + other.expected);
  }

  static ValidValues longAtLeast(long min) {
    return new ValidValues(value -> parseLong(value) != null && parseLong(value) >= min, "a long at least " + min);
  }

  static ValidValues intAtLeast(int min) {
    return new ValidValues(value -> parseLong(value) != null && parseLong(value) >= min
        && parseLong(value) <= Integer.MAX_VALUE, "an int at least " + min);
  }

  static ValidValues intBetween(int min, int max) {
    return new ValidValues(value -> parseLong(value) != null && parseLong(value) >= min && parseLong(value) <= max,
        "an int between " + min + " and " + max);
  }

  static ValidValues doubleBetween(double min, double max) {
    return new ValidValues(value -> {
      try {
        double parsed = Double.parseDouble(value);
        return parsed >= min && parsed <= max;
      } catch (NumberFormatException e) {
        return false;
      }
    }, "a double between " + min + " and " + max);
  }

  static ValidValues bool() {
    return oneOf("true", "false");
  }

  /** One of {@code allowed}, compared as Kafka's {@code ValidString} does (case-sensitive). */
  static ValidValues oneOf(String... allowed) {
    List<String> values = List.of(allowed);
    return new ValidValues(values::contains, "one of " + String.join(", ", values));
  }

  /** Only {@code value}, with the reason the others Kafka allows make no sense here. */
  static ValidValues only(String value, String why) {
    return new ValidValues(value::equals, value + " (" + why + ")");
  }

  /** A non-empty comma-separated list whose items are all in {@code allowed}. */
  static ValidValues listOf(String... allowed) {
    Set<String> values = Set.of(allowed);
    return new ValidValues(value -> {
      List<String> items = items(value);
      return !items.isEmpty() && values.containsAll(items);
    }, "a non-empty list of " + String.join(", ", allowed));
  }

  static ValidValues throttledReplicas() {
    return new ValidValues(value -> THROTTLED_REPLICAS.matcher(value).matches(),
        "empty, * or a list of partition:broker pairs");
  }

  /** The items of a comma-separated list value, trimmed, empty ones dropped. */
  static List<String> items(String value) {
    return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::trim)
        .filter(item -> !item.isEmpty()).toList();
  }

  private static Long parseLong(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
