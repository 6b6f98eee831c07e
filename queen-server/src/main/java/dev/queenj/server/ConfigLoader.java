package dev.queenj.server;

import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.http.HttpConfig;
import dev.queenj.kafka.KafkaConfig;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Reads {@link QueenConfig} from flags (which win) and environment variables (spec: design.md, configuration). */
final class ConfigLoader {
  private ConfigLoader() {}

  static boolean wantsHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  static String help() {
    StringBuilder out = new StringBuilder("Usage: java -jar queen-server.jar [--flag value ...]\n\n"
        + "Every setting is an environment variable or the equivalent flag (flags win).\n\n");
    for (Setting s : Setting.values()) {
      out.append(String.format("  %-32s %-34s default: %s%n", s.env, s.flag(),
          s.defaultValue.isEmpty() ? "(unset)" : s.defaultValue));
      out.append(String.format("      %s%n", s.doc));
    }
    return out.toString();
  }

  /** @throws IllegalArgumentException with a one-line reason for an unknown flag or an invalid value */
  static QueenConfig load(String[] args, Map<String, String> env) {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      String value = env.get(s.env);
      for (String alias : s.aliases) {
        if (value == null) {
          value = env.get(alias);
        }
      }
      values.put(s, value != null ? value : s.defaultValue);
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      Setting setting = byFlag(name);
      if (setting == null) {
        throw new IllegalArgumentException("unknown option " + name + " (see --help)");
      }
      if (arg.contains("=")) {
        values.put(setting, arg.substring(arg.indexOf('=') + 1));
      } else if (i + 1 < args.length) {
        values.put(setting, args[++i]);
      } else {
        throw new IllegalArgumentException("option " + name + " needs a value");
      }
    }
    DatabaseConfig database = new DatabaseConfig(values.get(Setting.PG_URL),
        Path.of(values.get(Setting.DATA_DIR)), integer(values, Setting.PG_POOL_SIZE));
    HttpConfig http = new HttpConfig(integer(values, Setting.HTTP_PORT), integer(values, Setting.HTTP_MAX_BODY_BYTES),
        integer(values, Setting.DEFAULT_TIMEOUT), integer(values, Setting.DEFAULT_BATCH_SIZE),
        values.get(Setting.DEFAULT_SUBSCRIPTION_MODE));
    KafkaConfig kafka = new KafkaConfig(integer(values, Setting.KAFKA_PORT), values.get(Setting.KAFKA_ADVERTISED_HOST),
        integer(values, Setting.KAFKA_DEFAULT_PARTITIONS), integer(values, Setting.KAFKA_MAX_REQUEST_BYTES),
        bool(values, Setting.KAFKA_AUTO_CREATE_TOPICS));
    RetentionConfig retention = new RetentionConfig(longInteger(values, Setting.RETENTION_INTERVAL),
        integer(values, Setting.RETENTION_BATCH_SIZE), longInteger(values, Setting.EVICTION_INTERVAL),
        integer(values, Setting.PARTITION_CLEANUP_DAYS));
    return new QueenConfig(database, http, kafka, integer(values, Setting.SHUTDOWN_TIMEOUT_MS), retention);
  }

  private static Setting byFlag(String flag) {
    for (Setting s : Setting.values()) {
      if (s.flag().equals(flag)) {
        return s;
      }
    }
    return null;
  }

  private static boolean bool(Map<Setting, String> values, Setting setting) {
    String value = values.get(setting).trim();
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(setting.env + " must be true or false, got '" + value + "'");
  }

  private static long longInteger(Map<Setting, String> values, Setting setting) {
    String value = values.get(setting).trim();
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting.env + " must be an integer, got '" + value + "'");
    }
  }

  private static int integer(Map<Setting, String> values, Setting setting) {
    String value = values.get(setting).trim();
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(setting.env + " must be an integer, got '" + value + "'");
    }
  }
}
