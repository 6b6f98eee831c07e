package dev.queenj.kafka.admin;

import java.util.function.Predicate;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * One Kafka config this server knows.
 *
 * @param settable whether a client may choose its value; the others are informational (read-only) and only accepted
 *     with their one value, which describes how Queen behaves
 * @param brokerSynonym the broker config a topic config falls back to, for DescribeConfigs' synonyms; null for a
 *     broker config
 * @param accepts whether a value is valid; only consulted for settable configs
 */
record ConfigDefinition(String name, ConfigType type, String defaultValue, boolean settable, String brokerSynonym,
    String documentation, Predicate<String> accepts) {

  static ConfigDefinition settable(String name, ConfigType type, String defaultValue, String brokerSynonym,
      String documentation, Predicate<String> accepts) {
    return new ConfigDefinition(name, type, defaultValue, true, brokerSynonym, documentation, accepts);
  }

  static ConfigDefinition informational(String name, ConfigType type, String value, String brokerSynonym,
      String documentation) {
    return new ConfigDefinition(name, type, value, false, brokerSynonym, documentation, value::equals);
  }

  /** Whether {@code value} may be given for this config (a read-only one only with the value it has). */
  boolean valid(String value) {
    return value != null && (settable ? accepts.test(value) : defaultValue.equals(value));
  }

  static boolean longAtLeast(String value, long min) {
    try {
      return Long.parseLong(value.trim()) >= min;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static boolean intAtLeast(String value, int min) {
    try {
      return Integer.parseInt(value.trim()) >= min;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
