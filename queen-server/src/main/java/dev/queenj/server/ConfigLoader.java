package dev.queenj.server;

import dev.queenj.core.acl.AclSettings;
import dev.queenj.core.cluster.ClusterSettings;
import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.core.stats.StatsConfig;
import dev.queenj.core.storage.DatabaseTimeouts;
import dev.queenj.http.HttpConfig;
import dev.queenj.http.auth.JwtConfig;
import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.kafka.security.KafkaSecurity;
import dev.queenj.kafka.security.Listener;
import dev.queenj.kafka.security.TlsSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads {@link QueenConfig} from flags (which win) and environment variables (spec: design.md, configuration). */
final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
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
    DatabaseTimeouts timeouts = new DatabaseTimeouts(integer(values, Setting.PG_CONNECT_TIMEOUT_MS),
        integer(values, Setting.PG_ACQUIRE_TIMEOUT_MS), integer(values, Setting.PG_STATEMENT_TIMEOUT_MS));
    DatabaseConfig database = new DatabaseConfig(pgUrl(values), Path.of(values.get(Setting.DATA_DIR)),
        integer(values, Setting.PG_POOL_SIZE), timeouts);
    HttpConfig http = new HttpConfig(integer(values, Setting.HTTP_PORT), integer(values, Setting.HTTP_MAX_BODY_BYTES),
        integer(values, Setting.DEFAULT_TIMEOUT), integer(values, Setting.DEFAULT_BATCH_SIZE),
        values.get(Setting.DEFAULT_SUBSCRIPTION_MODE), jwt(values));
    KafkaConfig kafka = new KafkaConfig(integer(values, Setting.KAFKA_PORT), values.get(Setting.KAFKA_ADVERTISED_HOST),
        integer(values, Setting.KAFKA_DEFAULT_PARTITIONS), integer(values, Setting.KAFKA_MAX_REQUEST_BYTES),
        bool(values, Setting.KAFKA_AUTO_CREATE_TOPICS), GroupConfig.of(
            integer(values, Setting.KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS),
            integer(values, Setting.KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS),
            integer(values, Setting.KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS)),
        integer(values, Setting.KAFKA_TRANSACTION_MAX_TIMEOUT_MS),
        integer(values, Setting.KAFKA_TRANSACTION_CLEANUP_INTERVAL_MS), kafkaSecurity(values), new AclSettings(
            bool(values, Setting.KAFKA_AUTHORIZER_ENABLED),
            AclSettings.parseSuperUsers(values.get(Setting.KAFKA_SUPER_USERS)),
            bool(values, Setting.KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND)));
    String bufferDir = values.get(Setting.FILE_BUFFER_DIR).trim();
    BufferConfig buffer = new BufferConfig(
        bufferDir.isEmpty() ? database.dataDir().resolve(BufferConfig.DEFAULT_SUBDIR) : Path.of(bufferDir),
        longInteger(values, Setting.FILE_BUFFER_MAX_BYTES));
    RetentionConfig retention = new RetentionConfig(longInteger(values, Setting.RETENTION_INTERVAL),
        integer(values, Setting.RETENTION_BATCH_SIZE), longInteger(values, Setting.EVICTION_INTERVAL),
        integer(values, Setting.PARTITION_CLEANUP_DAYS), longInteger(values, Setting.COMPACTION_INTERVAL),
        integer(values, Setting.KAFKA_PRODUCER_ID_EXPIRATION_MS),
        integer(values, Setting.KAFKA_TRANSACTIONAL_ID_EXPIRATION_MS));
    String oldKeys = values.get(Setting.ENCRYPTION_OLD_KEYS).trim();
    PayloadCipher encryption = PayloadCipher.of(values.get(Setting.ENCRYPTION_KEY),
        oldKeys.isEmpty() ? List.of() : List.of(oldKeys.split("\\s*,\\s*")));
    StatsConfig stats = new StatsConfig(longInteger(values, Setting.STATS_FLUSH_INTERVAL_MS),
        integer(values, Setting.STATS_RETENTION_DAYS), integer(values, Setting.METRICS_QUEUE_SERIES));
    ClusterSettings cluster = new ClusterSettings(values.get(Setting.CLUSTER_NAME),
        values.get(Setting.INSTANCE_ID),
        integer(values, Setting.INSTANCE_HEARTBEAT_MS), integer(values, Setting.INSTANCE_EXPIRY_MS));
    return new QueenConfig(database, http, kafka, integer(values, Setting.SHUTDOWN_TIMEOUT_MS), buffer, retention,
        encryption, stats, cluster);
  }

  private static KafkaSecurity kafkaSecurity(Map<Setting, String> values) {
    String listeners = values.get(Setting.KAFKA_LISTENERS).trim();
    TlsSettings tls = new TlsSettings(values.get(Setting.KAFKA_SSL_CERTIFICATE_LOCATION).trim(),
        values.get(Setting.KAFKA_SSL_KEY_LOCATION).trim(), values.get(Setting.KAFKA_SSL_KEY_PASSWORD),
        values.get(Setting.KAFKA_SSL_TRUSTSTORE_LOCATION).trim(), values.get(Setting.KAFKA_SSL_CLIENT_AUTH));
    return new KafkaSecurity(listeners.isEmpty() ? List.of() : Listener.parse(listeners), tls,
        KafkaSecurity.mechanisms(values.get(Setting.KAFKA_SASL_ENABLED_MECHANISMS)),
        longInteger(values, Setting.KAFKA_CONNECTIONS_MAX_REAUTH_MS), values.get(Setting.KAFKA_SASL_ADMIN_USER),
        values.get(Setting.KAFKA_SASL_ADMIN_PASSWORD));
  }

  /** Queen's JWT_* settings, with Queen's names and defaults. */
  private static JwtConfig jwt(Map<Setting, String> values) {
    return new JwtConfig(bool(values, Setting.JWT_ENABLED, false), values.get(Setting.JWT_ALGORITHM),
        values.get(Setting.JWT_SECRET), values.get(Setting.JWT_PUBLIC_KEY), values.get(Setting.JWT_JWKS_URL),
        integer(values, Setting.JWT_JWKS_REFRESH_INTERVAL), integer(values, Setting.JWT_JWKS_TIMEOUT_MS),
        values.get(Setting.JWT_ISSUER), values.get(Setting.JWT_AUDIENCE), integer(values, Setting.JWT_CLOCK_SKEW),
        JwtConfig.skipPathList(values.get(Setting.JWT_SKIP_PATHS)), values.get(Setting.JWT_ROLES_CLAIM),
        values.get(Setting.JWT_ROLES_ARRAY_CLAIM), values.get(Setting.JWT_ROLE_ADMIN),
        values.get(Setting.JWT_ROLE_READ_WRITE), values.get(Setting.JWT_ROLE_READ_ONLY));
  }

  /**
   * QUEEN_PG_URL, or else the URL Queen's own variables describe (PG_HOST, PG_PORT, ... with Queen's defaults for
   * those not set), or else null: the embedded Postgres. With both set, QUEEN_PG_URL wins, and the start-up log says
   * which of Queen's variables it overrode.
   */
  private static String pgUrl(Map<Setting, String> values) {
    List<Setting> queens = QUEEN_PG_VARIABLES.stream().filter(s -> !values.get(s).isBlank()).toList();
    String url = values.get(Setting.PG_URL);
    if (url != null && !url.isBlank()) {
      if (!queens.isEmpty()) {
        LOG.warn("QUEEN_PG_URL is set and wins over Queen's {}, which are ignored",
            queens.stream().map(s -> s.env).toList());
      }
      return url;
    }
    if (queens.isEmpty()) {
      return null;
    }
    String port = or(values, Setting.PG_PORT, "5432");
    try {
      Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("PG_PORT must be an integer, got '" + port + "'");
    }
    String sslMode = "disable";
    if (bool(values, Setting.PG_USE_SSL, false)) {
      sslMode = bool(values, Setting.PG_SSL_REJECT_UNAUTHORIZED, true) ? "verify-full" : "require";
    }
    return "postgresql://" + encoded(or(values, Setting.PG_USER, "postgres")) + ":"
        + encoded(or(values, Setting.PG_PASSWORD, "postgres")) + "@" + or(values, Setting.PG_HOST, "localhost") + ":"
        + port + "/" + encoded(or(values, Setting.PG_DB, "postgres")) + "?sslmode=" + sslMode;
  }

  private static final List<Setting> QUEEN_PG_VARIABLES = List.of(Setting.PG_HOST, Setting.PG_PORT, Setting.PG_USER,
      Setting.PG_PASSWORD, Setting.PG_DB, Setting.PG_USE_SSL, Setting.PG_SSL_REJECT_UNAUTHORIZED);

  private static String or(Map<Setting, String> values, Setting setting, String fallback) {
    String value = values.get(setting).trim();
    return value.isEmpty() ? fallback : value;
  }

  private static String encoded(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Setting byFlag(String flag) {
    for (Setting s : Setting.values()) {
      if (s.flag().equals(flag)) {
        return s;
      }
    }
    return null;
  }

  private static boolean bool(Map<Setting, String> values, Setting setting, boolean fallback) {
    return values.get(setting).isBlank() ? fallback : bool(values, setting);
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
