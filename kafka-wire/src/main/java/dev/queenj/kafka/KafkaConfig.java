package dev.queenj.kafka;

import dev.queenj.core.acl.AclSettings;
import dev.queenj.kafka.group.GroupConfig;
import dev.queenj.kafka.security.KafkaSecurity;
import dev.queenj.kafka.security.Listener;
import java.util.List;

/**
 * Settings of the Kafka listener.
 *
 * @param port listening port (0 picks a free one)
 * @param advertisedHost host returned to clients in Metadata; after bootstrapping they connect to it for everything
 * @param defaultPartitions Kafka partitions (logs) of every auto-created queue, whichever protocol created it, so
 *     that native pushes land where a Kafka producer would put them
 * @param maxRequestBytes a request announcing a larger size closes its connection before any of it is buffered
 *     (Kafka's {@code socket.request.max.bytes})
 * @param autoCreateTopics whether a Metadata request that allows it creates the topics it names that do not exist
 *     (Kafka's {@code auto.create.topics.enable})
 * @param groups the group coordinator's session timeout bounds and initial rebalance delay
 * @param transactionMaxTimeoutMs the longest {@code transaction.timeout.ms} a transactional producer may ask for;
 *     InitProducerId refuses a longer one with INVALID_TRANSACTION_TIMEOUT (Kafka's
 *     {@code transaction.max.timeout.ms})
 * @param transactionCleanupIntervalMs how often open transactions past their timeout are looked for and aborted
 *     (Kafka's {@code transaction.abort.timed.out.transaction.cleanup.interval.ms})
 * @param security listeners, TLS and SASL; {@link KafkaSecurity#NONE} is one PLAINTEXT listener on {@code port}
 * @param authorizer whether and how Kafka ACLs are enforced (off: everything is allowed, as without Kafka's
 *     {@code authorizer.class.name})
 */
public record KafkaConfig(int port, String advertisedHost, int defaultPartitions, int maxRequestBytes,
    boolean autoCreateTopics, GroupConfig groups, int transactionMaxTimeoutMs, int transactionCleanupIntervalMs,
    KafkaSecurity security, AclSettings authorizer) {

  public static final int DEFAULT_PORT = 9092;
  public static final String DEFAULT_ADVERTISED_HOST = "localhost";
  public static final int DEFAULT_PARTITIONS = 8;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
  public static final boolean DEFAULT_AUTO_CREATE_TOPICS = true;
  public static final int DEFAULT_TRANSACTION_MAX_TIMEOUT_MS = 900_000;
  public static final int DEFAULT_TRANSACTION_CLEANUP_INTERVAL_MS = 10_000;
  /** Room for a request header and a small body: anything lower would refuse ordinary requests. */
  public static final int LOWEST_MAX_REQUEST_BYTES = 1024;

  public KafkaConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("QUEEN_KAFKA_PORT must be between 0 and 65535, got " + port);
    }
    if (advertisedHost == null || advertisedHost.isBlank()) {
      throw new IllegalArgumentException("QUEEN_KAFKA_ADVERTISED_HOST must not be empty");
    }
    if (defaultPartitions < 1 || defaultPartitions > 10_000) {
      throw new IllegalArgumentException(
          "QUEEN_KAFKA_DEFAULT_PARTITIONS must be between 1 and 10000, got " + defaultPartitions);
    }
    if (maxRequestBytes < LOWEST_MAX_REQUEST_BYTES) {
      throw new IllegalArgumentException("QUEEN_KAFKA_MAX_REQUEST_BYTES must be at least " + LOWEST_MAX_REQUEST_BYTES
          + ", got " + maxRequestBytes);
    }
    if (groups == null) {
      throw new IllegalArgumentException("the group coordinator settings are required");
    }
    if (transactionMaxTimeoutMs < 1) {
      throw new IllegalArgumentException("QUEEN_KAFKA_TRANSACTION_MAX_TIMEOUT_MS must be positive, got "
          + transactionMaxTimeoutMs);
    }
    if (security == null) {
      throw new IllegalArgumentException("the Kafka security settings are required");
    }
    if (authorizer == null) {
      throw new IllegalArgumentException("the authorizer settings are required");
    }
    if (transactionCleanupIntervalMs < 1) {
      throw new IllegalArgumentException(
          "QUEEN_KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS must be positive, got "
              + transactionCleanupIntervalMs);
    }
  }

  /** One PLAINTEXT listener on {@code port}, without an authorizer. */
  public KafkaConfig(int port, String advertisedHost, int defaultPartitions, int maxRequestBytes,
      boolean autoCreateTopics, GroupConfig groups, int transactionMaxTimeoutMs, int transactionCleanupIntervalMs) {
    this(port, advertisedHost, defaultPartitions, maxRequestBytes, autoCreateTopics, groups, transactionMaxTimeoutMs,
        transactionCleanupIntervalMs, KafkaSecurity.NONE);
  }

  /** These listeners, TLS and SASL settings, without an authorizer. */
  public KafkaConfig(int port, String advertisedHost, int defaultPartitions, int maxRequestBytes,
      boolean autoCreateTopics, GroupConfig groups, int transactionMaxTimeoutMs, int transactionCleanupIntervalMs,
      KafkaSecurity security) {
    this(port, advertisedHost, defaultPartitions, maxRequestBytes, autoCreateTopics, groups, transactionMaxTimeoutMs,
        transactionCleanupIntervalMs, security, AclSettings.DISABLED);
  }

  /** With Kafka's group coordinator and transaction defaults. */
  public KafkaConfig(int port, String advertisedHost, int defaultPartitions, int maxRequestBytes,
      boolean autoCreateTopics) {
    this(port, advertisedHost, defaultPartitions, maxRequestBytes, autoCreateTopics, GroupConfig.defaults(),
        DEFAULT_TRANSACTION_MAX_TIMEOUT_MS, DEFAULT_TRANSACTION_CLEANUP_INTERVAL_MS);
  }

  /** The same with these group coordinator settings. */
  public KafkaConfig withGroups(GroupConfig groups) {
    return new KafkaConfig(port, advertisedHost, defaultPartitions, maxRequestBytes, autoCreateTopics, groups,
        transactionMaxTimeoutMs, transactionCleanupIntervalMs, security, authorizer);
  }

  /** The same with these listeners, TLS and SASL settings. */
  public KafkaConfig withSecurity(KafkaSecurity security) {
    return new KafkaConfig(port, advertisedHost, defaultPartitions, maxRequestBytes, autoCreateTopics, groups,
        transactionMaxTimeoutMs, transactionCleanupIntervalMs, security, authorizer);
  }

  /** The same with these authorizer settings. */
  public KafkaConfig withAuthorizer(AclSettings settings) {
    return new KafkaConfig(port, advertisedHost, defaultPartitions, maxRequestBytes, autoCreateTopics, groups,
        transactionMaxTimeoutMs, transactionCleanupIntervalMs, security, settings);
  }

  /** The listeners to bind: {@code QUEEN_KAFKA_LISTENERS}, or one PLAINTEXT listener on {@code port}. */
  public List<Listener> listeners() {
    return security.listenersOr(port);
  }

  public static KafkaConfig defaults() {
    return new KafkaConfig(DEFAULT_PORT, DEFAULT_ADVERTISED_HOST, DEFAULT_PARTITIONS, DEFAULT_MAX_REQUEST_BYTES,
        DEFAULT_AUTO_CREATE_TOPICS);
  }
}
