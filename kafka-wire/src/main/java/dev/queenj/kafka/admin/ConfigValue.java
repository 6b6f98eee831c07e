package dev.queenj.kafka.admin;

import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/** A config's value on one resource and where it comes from (set on the topic, the broker's setting, a default). */
record ConfigValue(ConfigDefinition definition, String value, ConfigSource source) {

  String name() {
    return definition.name();
  }

  boolean readOnly() {
    return !definition.settable();
  }
}
