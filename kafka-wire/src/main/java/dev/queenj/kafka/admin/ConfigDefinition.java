package dev.queenj.kafka.admin;

import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * One Kafka config this server knows.
 *
 * @param settable whether a client may choose its value; the others are informational (read-only) and only accepted
 *     with their one value, which describes how Queen behaves
 * @param brokerSynonym the broker config a topic config falls back to, for DescribeConfigs' synonyms; null for a
 *     broker config
 * @param documentation what the config does in Queen-J: whether it has an effect or is only stored, and why
 */
record ConfigDefinition(String name, ConfigType type, String defaultValue, boolean settable, String brokerSynonym,
    String documentation, ValidValues validValues) {

  static ConfigDefinition settable(String name, ConfigType type, String defaultValue, String brokerSynonym,
      String documentation, ValidValues validValues) {
    return new ConfigDefinition(name, type, defaultValue, true, brokerSynonym, documentation, validValues);
  }

  static ConfigDefinition informational(String name, ConfigType type, String value, String brokerSynonym,
      String documentation) {
    return new ConfigDefinition(name, type, value, false, brokerSynonym, documentation,
        new ValidValues(value::equals, value + " (read-only here)"));
  }

  /** Whether {@code value} may be given for this config (a read-only one only with the value it has). */
  boolean valid(String value) {
    return validValues.accepts(value);
  }
}
