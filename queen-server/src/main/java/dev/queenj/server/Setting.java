package dev.queenj.server;

import dev.queenj.core.cluster.ClusterSettings;
import dev.queenj.core.retention.RetentionConfig;
import dev.queenj.core.stats.StatsConfig;
import dev.queenj.core.storage.DatabaseTimeouts;
import dev.queenj.http.HttpConfig;
import dev.queenj.http.auth.JwtConfig;
import dev.queenj.kafka.KafkaConfig;
import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.kafka.security.KafkaSecurity;
import dev.queenj.kafka.security.TlsSettings;
import java.util.List;
import java.util.Locale;

/**
 * Every setting, documented once: its environment variable, the equivalent {@code --flag}, its default and what it
 * means. {@code --help} prints this table, so it cannot drift from what is read.
 */
enum Setting {
  PG_URL("QUEEN_PG_URL", "", "postgresql://user:pass@host:port/db[?sslmode=...&sslrootcert=...] of an existing "
      + "server; unset (and no PG_* set) starts an embedded Postgres whose data lives in QUEEN_DATA_DIR"),
  PG_HOST("PG_HOST", "", "Queen's way to name an existing server, used when QUEEN_PG_URL is unset: its host "
      + "(localhost when another PG_* is set)"),
  PG_PORT("PG_PORT", "", "Queen's: the server's port (5432)"),
  PG_USER("PG_USER", "", "Queen's: the user to log in as (postgres)"),
  PG_PASSWORD("PG_PASSWORD", "", "Queen's: that user's password (postgres)"),
  PG_DB("PG_DB", "", "Queen's: the database (postgres)"),
  PG_USE_SSL("PG_USE_SSL", "", "Queen's: true connects with TLS (false)"),
  PG_SSL_REJECT_UNAUTHORIZED("PG_SSL_REJECT_UNAUTHORIZED", "", "Queen's: with PG_USE_SSL, true verifies the "
      + "server's certificate and name against the JVM's trusted CAs (sslmode=verify-full), false only encrypts "
      + "(sslmode=require) (true)"),
  DATA_DIR("QUEEN_DATA_DIR", DatabaseConfig.DEFAULT_DATA_DIR, "embedded Postgres data and the outage buffer; "
      + "survives restarts"),
  PG_POOL_SIZE("QUEEN_PG_POOL_SIZE", String.valueOf(DatabaseConfig.DEFAULT_POOL_SIZE), "connections to Postgres, "
      + "besides those that write appends (one per core, at least 2)", "DB_POOL_SIZE"),
  PG_CONNECT_TIMEOUT_MS("QUEEN_PG_CONNECT_TIMEOUT_MS", String.valueOf(DatabaseTimeouts.DEFAULT_CONNECT_MS),
      "how long opening a Postgres connection (TCP, TLS, login) may take", "DB_CONNECTION_TIMEOUT"),
  PG_ACQUIRE_TIMEOUT_MS("QUEEN_PG_ACQUIRE_TIMEOUT_MS", String.valueOf(DatabaseTimeouts.DEFAULT_ACQUIRE_MS),
      "how long a request may wait for a free Postgres connection", "DB_POOL_ACQUISITION_TIMEOUT"),
  PG_STATEMENT_TIMEOUT_MS("QUEEN_PG_STATEMENT_TIMEOUT_MS", String.valueOf(DatabaseTimeouts.DEFAULT_STATEMENT_MS),
      "Postgres' statement_timeout, and how long a request's storage work may take before it is answered "
      + "with a retriable error (HTTP 503)", "DB_STATEMENT_TIMEOUT"),
  HTTP_PORT("QUEEN_HTTP_PORT", String.valueOf(HttpConfig.DEFAULT_PORT), "native HTTP API port (Queen's PORT is "
      + "also accepted)", "PORT"),
  HTTP_MAX_BODY_BYTES("QUEEN_HTTP_MAX_BODY_BYTES", String.valueOf(HttpConfig.DEFAULT_MAX_BODY_BYTES),
      "larger request bodies are refused with 413 before they are read"),
  DEFAULT_TIMEOUT("DEFAULT_TIMEOUT", String.valueOf(HttpConfig.DEFAULT_TIMEOUT_MS),
      "long-poll timeout in ms when a pop names none"),
  DEFAULT_BATCH_SIZE("DEFAULT_BATCH_SIZE", String.valueOf(HttpConfig.DEFAULT_BATCH),
      "pop batch size when a pop names none"),
  DEFAULT_SUBSCRIPTION_MODE("DEFAULT_SUBSCRIPTION_MODE", "", "where new consumer groups start when their first "
      + "pop names nothing: empty or 'all' (from the beginning) or 'new' (only later messages)"),
  JWT_ENABLED("JWT_ENABLED", "false", "true requires a bearer JWT on every native HTTP API route but /health* and "
      + "/metrics/prometheus (roles: README, Authentication (HTTP)); off logs so at start-up"),
  JWT_ALGORITHM("JWT_ALGORITHM", JwtConfig.DEFAULT_ALGORITHM, "HS256 (JWT_SECRET), RS256 (JWT_PUBLIC_KEY or "
      + "JWT_JWKS_URL; RS384/RS512 tokens too), EdDSA (an Ed25519 or Ed448 JWT_PUBLIC_KEY, or the OKP keys at "
      + "JWT_JWKS_URL) or auto (whichever the token's header names and a key is set for)"),
  JWT_SECRET("JWT_SECRET", "", "HS256 shared secret, at least 32 bytes"),
  JWT_PUBLIC_KEY("JWT_PUBLIC_KEY", "", "RSA, Ed25519 or Ed448 public key in PEM "
      + "(-----BEGIN PUBLIC KEY-----); wins over JWT_JWKS_URL"),
  JWT_JWKS_URL("JWT_JWKS_URL", "", "http(s) URL of the issuer's JWKS (RSA keys, OKP keys on Ed25519/Ed448); "
      + "fetched at start, every JWT_JWKS_REFRESH_INTERVAL and when a token names an unknown kid"),
  JWT_JWKS_REFRESH_INTERVAL("JWT_JWKS_REFRESH_INTERVAL", String.valueOf(JwtConfig.DEFAULT_JWKS_REFRESH_SECONDS),
      "seconds between JWKS refreshes"),
  JWT_JWKS_TIMEOUT_MS("JWT_JWKS_TIMEOUT_MS", String.valueOf(JwtConfig.DEFAULT_JWKS_TIMEOUT_MS),
      "bound on connecting to the JWKS URL, and again on reading it"),
  JWT_ISSUER("JWT_ISSUER", "", "required iss claim; unset accepts any issuer"),
  JWT_AUDIENCE("JWT_AUDIENCE", "", "a value the aud claim must contain; unset accepts any audience"),
  JWT_CLOCK_SKEW("JWT_CLOCK_SKEW", String.valueOf(JwtConfig.DEFAULT_CLOCK_SKEW_SECONDS),
      "seconds of tolerance on exp and nbf"),
  JWT_SKIP_PATHS("JWT_SKIP_PATHS", JwtConfig.DEFAULT_SKIP_PATHS, "comma-separated paths served without a token; "
      + "an entry ending in / (other than /) covers the paths below it"),
  JWT_ROLES_CLAIM("JWT_ROLES_CLAIM", JwtConfig.DEFAULT_ROLES_CLAIM, "claim holding one role as a string"),
  JWT_ROLES_ARRAY_CLAIM("JWT_ROLES_ARRAY_CLAIM", JwtConfig.DEFAULT_ROLES_ARRAY_CLAIM,
      "claim holding an array of roles; the strongest role of both claims counts"),
  JWT_ROLE_ADMIN("JWT_ROLE_ADMIN", JwtConfig.DEFAULT_ROLE_ADMIN, "role value for admin (everything)"),
  JWT_ROLE_READ_WRITE("JWT_ROLE_READ_WRITE", JwtConfig.DEFAULT_ROLE_READ_WRITE,
      "role value for read-write (push, pop, ack, ... and all read-only routes)"),
  JWT_ROLE_READ_ONLY("JWT_ROLE_READ_ONLY", JwtConfig.DEFAULT_ROLE_READ_ONLY,
      "role value for read-only (GET of resources, messages, DLQ, consumer groups)"),
  KAFKA_PORT("QUEEN_KAFKA_PORT", String.valueOf(KafkaConfig.DEFAULT_PORT),
      "Kafka listener port, on all interfaces: a PLAINTEXT listener unless QUEEN_KAFKA_LISTENERS is set"),
  KAFKA_ADVERTISED_HOST("QUEEN_KAFKA_ADVERTISED_HOST", KafkaConfig.DEFAULT_ADVERTISED_HOST,
      "host returned to Kafka clients in Metadata; they connect to it after bootstrapping"),
  KAFKA_DEFAULT_PARTITIONS("QUEEN_KAFKA_DEFAULT_PARTITIONS", String.valueOf(KafkaConfig.DEFAULT_PARTITIONS),
      "Kafka partitions (logs) of every auto-created queue"),
  KAFKA_MAX_REQUEST_BYTES("QUEEN_KAFKA_MAX_REQUEST_BYTES", String.valueOf(KafkaConfig.DEFAULT_MAX_REQUEST_BYTES),
      "a larger Kafka request closes its connection before it is read (Kafka's socket.request.max.bytes)"),
  KAFKA_AUTO_CREATE_TOPICS("QUEEN_KAFKA_AUTO_CREATE_TOPICS", String.valueOf(KafkaConfig.DEFAULT_AUTO_CREATE_TOPICS),
      "true or false: create a queue when a Kafka client asks for a missing topic and allows creation "
      + "(Kafka's auto.create.topics.enable)"),
  KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS("QUEEN_KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS",
      String.valueOf(GroupConfig.DEFAULT_INITIAL_REBALANCE_DELAY_MS), "how long the first rebalance of an empty "
      + "consumer group waits for more members; 0 answers the first join at once, as CI suites want "
      + "(Kafka's group.initial.rebalance.delay.ms)"),
  KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS("QUEEN_KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS",
      String.valueOf(GroupConfig.DEFAULT_MIN_SESSION_TIMEOUT_MS), "a consumer asking for a shorter session.timeout.ms "
      + "is refused (Kafka's group.min.session.timeout.ms)"),
  KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS("QUEEN_KAFKA_GROUP_MAX_SESSION_TIMEOUT_MS",
      String.valueOf(GroupConfig.DEFAULT_MAX_SESSION_TIMEOUT_MS), "a consumer asking for a longer session.timeout.ms "
      + "is refused (Kafka's group.max.session.timeout.ms)"),
  KAFKA_TRANSACTION_MAX_TIMEOUT_MS("QUEEN_KAFKA_TRANSACTION_MAX_TIMEOUT_MS",
      String.valueOf(KafkaConfig.DEFAULT_TRANSACTION_MAX_TIMEOUT_MS), "the longest transaction.timeout.ms a "
      + "transactional producer may ask for; a longer one is refused (Kafka's transaction.max.timeout.ms)"),
  KAFKA_TRANSACTION_CLEANUP_INTERVAL_MS("QUEEN_KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS",
      String.valueOf(KafkaConfig.DEFAULT_TRANSACTION_CLEANUP_INTERVAL_MS), "ms between looks for open Kafka "
      + "transactions past their timeout, which are aborted and their producers fenced (Kafka's "
      + "transaction.abort.timed.out.transaction.cleanup.interval.ms)"),
  KAFKA_PRODUCER_ID_EXPIRATION_MS("QUEEN_KAFKA_PRODUCER_ID_EXPIRATION_MS",
      String.valueOf(RetentionConfig.DEFAULT_PRODUCER_ID_EXPIRATION_MS), "ms after its last write to a partition that "
      + "a Kafka producer's sequence state there is deleted by retention (kept while a transactional id maps to the "
      + "producer), and a producer id with none left (Kafka's producer.id.expiration.ms)"),
  KAFKA_TRANSACTIONAL_ID_EXPIRATION_MS("QUEEN_KAFKA_TRANSACTIONAL_ID_EXPIRATION_MS",
      String.valueOf(RetentionConfig.DEFAULT_TRANSACTIONAL_ID_EXPIRATION_MS), "ms after its last change that a "
      + "transactional.id with no transaction open is forgotten by retention; its next InitProducerId starts afresh "
      + "(Kafka's transactional.id.expiration.ms)"),
  KAFKA_LISTENERS("QUEEN_KAFKA_LISTENERS", "", "Kafka listeners the Kafka way, e.g. "
      + "PLAINTEXT://:9092,SASL_SSL://:9093 (the name is the security protocol: PLAINTEXT, SSL, SASL_PLAINTEXT, "
      + "SASL_SSL; empty host = all interfaces); unset is one PLAINTEXT listener on QUEEN_KAFKA_PORT (Kafka's "
      + "listeners)"),
  KAFKA_SSL_CERTIFICATE_LOCATION("QUEEN_KAFKA_SSL_CERTIFICATE_LOCATION", "", "PEM certificate chain of the SSL "
      + "and SASL_SSL listeners, the server's certificate first (Kafka's ssl.keystore.location with type PEM)"),
  KAFKA_SSL_KEY_LOCATION("QUEEN_KAFKA_SSL_KEY_LOCATION", "", "PEM PKCS#8 private key of that certificate"),
  KAFKA_SSL_KEY_PASSWORD("QUEEN_KAFKA_SSL_KEY_PASSWORD", "", "password of an encrypted private key; empty for an "
      + "unencrypted one (Kafka's ssl.key.password)"),
  KAFKA_SSL_TRUSTSTORE_LOCATION("QUEEN_KAFKA_SSL_TRUSTSTORE_LOCATION", "", "PEM CA bundle client certificates must "
      + "chain to; empty is the JVM's trusted CAs (Kafka's ssl.truststore.location with type PEM)"),
  KAFKA_SSL_CLIENT_AUTH("QUEEN_KAFKA_SSL_CLIENT_AUTH", TlsSettings.CLIENT_AUTH_NONE, "none, requested or required: "
      + "client certificates on the SSL and SASL_SSL listeners; on SSL a client certificate's subject DN is the "
      + "principal, User:<DN> (Kafka's ssl.client.auth)"),
  KAFKA_SASL_ENABLED_MECHANISMS("QUEEN_KAFKA_SASL_ENABLED_MECHANISMS", KafkaSecurity.DEFAULT_MECHANISMS,
      "SASL mechanisms of the SASL listeners, of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (Kafka's "
      + "sasl.enabled.mechanisms)"),
  KAFKA_CONNECTIONS_MAX_REAUTH_MS("QUEEN_KAFKA_CONNECTIONS_MAX_REAUTH_MS", "0", "a SASL session's lifetime: "
      + "clients re-authenticate within it on the live connection (KIP-368), a connection that did not is closed "
      + "on its next request; 0 keeps the session for the connection's life (Kafka's connections.max.reauth.ms)"),
  KAFKA_SASL_ADMIN_USER("QUEEN_KAFKA_SASL_ADMIN_USER", "", "a Kafka user given SCRAM-SHA-256 and SCRAM-SHA-512 "
      + "credentials for QUEEN_KAFKA_SASL_ADMIN_PASSWORD at start-up (updated if the password changed), so the "
      + "first user exists before kafka-configs.sh can add others"),
  KAFKA_SASL_ADMIN_PASSWORD("QUEEN_KAFKA_SASL_ADMIN_PASSWORD", "", "that user's password"),
  KAFKA_AUTHORIZER_ENABLED("QUEEN_KAFKA_AUTHORIZER_ENABLED", "false", "enforce Kafka ACLs (kafka-acls.sh) on every "
      + "Kafka request, and on HTTP with JWT on; off, everything is allowed and CreateAcls answers SECURITY_DISABLED "
      + "(as Kafka without authorizer.class.name)"),
  KAFKA_SUPER_USERS("QUEEN_KAFKA_SUPER_USERS", "", "principals allowed everything, separated by ';', e.g. "
      + "User:admin;User:ops (Kafka's super.users)"),
  KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND("QUEEN_KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false", "a resource no ACL "
      + "covers is open to everyone; false refuses it to all but super users (Kafka's "
      + "allow.everyone.if.no.acl.found)"),
  FILE_BUFFER_DIR("FILE_BUFFER_DIR", "", "where pushes are buffered (fsynced) while Postgres is unreachable or push "
      + "maintenance is on; unset is QUEEN_DATA_DIR/buffer. One server at a time per directory: a second one "
      + "refuses to start"),
  FILE_BUFFER_MAX_BYTES("FILE_BUFFER_MAX_BYTES", String.valueOf(BufferConfig.DEFAULT_MAX_BYTES),
      "bytes of buffered pushes not yet replayed; beyond it pushes that would be buffered get 503"),
  RETENTION_INTERVAL("RETENTION_INTERVAL", String.valueOf(RetentionConfig.DEFAULT_INTERVAL_MS),
      "ms between retention cycles (retentionSeconds, completedRetentionSeconds, Kafka retention.ms and "
      + "retention.bytes, dead letters, idle partitions); one instance runs a cycle at a time"),
  RETENTION_BATCH_SIZE("RETENTION_BATCH_SIZE", String.valueOf(RetentionConfig.DEFAULT_BATCH_SIZE),
      "rows deleted per statement by retention and eviction, each statement its own transaction"),
  EVICTION_INTERVAL("EVICTION_INTERVAL", String.valueOf(RetentionConfig.DEFAULT_EVICTION_INTERVAL_MS),
      "ms between eviction cycles (maxWaitTimeSeconds)"),
  PARTITION_CLEANUP_DAYS("PARTITION_CLEANUP_DAYS", String.valueOf(RetentionConfig.DEFAULT_PARTITION_CLEANUP_DAYS),
      "days an empty partition stays without messages before retention removes it and its cursors"),
  COMPACTION_INTERVAL("COMPACTION_INTERVAL", String.valueOf(RetentionConfig.DEFAULT_COMPACTION_INTERVAL_MS),
      "ms between compaction cycles (Kafka topics with cleanup.policy compact); one instance runs a cycle at a time"),
  STATS_FLUSH_INTERVAL_MS("QUEEN_STATS_FLUSH_INTERVAL_MS", String.valueOf(StatsConfig.DEFAULT_FLUSH_INTERVAL_MS),
      "ms between the moments an instance adds its per-minute throughput counts to Postgres (one statement each); "
      + "another instance's counts show in /status answers this late"),
  STATS_RETENTION_DAYS("QUEEN_STATS_RETENTION_DAYS", String.valueOf(StatsConfig.DEFAULT_RETENTION_DAYS),
      "days per-minute throughput statistics and trace events are kept"),
  METRICS_QUEUE_SERIES("QUEEN_METRICS_QUEUE_SERIES", String.valueOf(StatsConfig.DEFAULT_METRICS_QUEUE_SERIES),
      "how many queues (most dead letters, then most partitions) and (group, queue) pairs (oldest unconsumed "
      + "message first) get Prometheus series of their own; the totals count every queue and group; 0: totals only"),
  ENCRYPTION_KEY("QUEEN_ENCRYPTION_KEY", "", "Queen's: 64 hex characters (a 256-bit key, `openssl rand -hex 32`) "
      + "with which the payloads of queues with encryptionEnabled are stored (AES-256-GCM); unset, such queues "
      + "cannot be configured and a server finding one refuses to start. Prefer the environment to the flag"),
  ENCRYPTION_OLD_KEYS("QUEEN_ENCRYPTION_OLD_KEYS", "", "comma-separated earlier values of QUEEN_ENCRYPTION_KEY: "
      + "payloads stored under them still decrypt after a rotation (see Encryption at rest)"),
  CLUSTER_NAME("QUEEN_CLUSTER_NAME", ClusterSettings.DEFAULT_NAME, "Kafka clients of an instance are told about "
      + "the live instances on the database with the same name only (an internal and a public deployment sharing a "
      + "database keep their clients apart); consumer groups are coordinated once per database whatever the name"),
  INSTANCE_ID("QUEEN_INSTANCE_ID", "", "this instance's name among the instances sharing the database (each needs its "
      + "own); unset generates one per start. The same name restarting gets its Kafka node id back"),
  INSTANCE_HEARTBEAT_MS("QUEEN_INSTANCE_HEARTBEAT_MS", String.valueOf(ClusterSettings.DEFAULT_HEARTBEAT_MS),
      "how often an instance renews its registration and the consumer-group leases it holds"),
  INSTANCE_EXPIRY_MS("QUEEN_INSTANCE_EXPIRY_MS", String.valueOf(ClusterSettings.DEFAULT_EXPIRY_MS),
      "how long after its last heartbeat an instance is dropped from Kafka's Metadata and its consumer groups move "
      + "to other instances (at least three heartbeats)"),
  SHUTDOWN_TIMEOUT_MS("QUEEN_SHUTDOWN_TIMEOUT_MS", String.valueOf(QueenConfig.DEFAULT_SHUTDOWN_TIMEOUT_MS),
      "how long a stopping server waits for in-flight requests");

  final String env;
  final String defaultValue;
  final String doc;
  final List<String> aliases;

  Setting(String env, String defaultValue, String doc, String... aliases) {
    this.env = env;
    this.defaultValue = defaultValue;
    this.doc = doc;
    this.aliases = List.of(aliases);
  }

  /** {@code QUEEN_HTTP_PORT} is {@code --http-port}; {@code DEFAULT_TIMEOUT} is {@code --default-timeout}. */
  String flag() {
    return "--" + env.replaceFirst("^QUEEN_", "").toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
