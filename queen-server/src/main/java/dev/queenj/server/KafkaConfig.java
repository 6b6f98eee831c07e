package dev.queenj.server;

/**
 * Kafka-facing settings. The Kafka listener itself is not served yet; {@code defaultPartitions} already decides how
 * many logs (Kafka partitions) every auto-created queue is split into, so that native pushes land where a Kafka
 * producer would put them.
 */
public record KafkaConfig(int port, String advertisedHost, int defaultPartitions) {
  public static final int DEFAULT_PORT = 9092;
  public static final String DEFAULT_ADVERTISED_HOST = "localhost";
  public static final int DEFAULT_PARTITIONS = 8;

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
  }
}
