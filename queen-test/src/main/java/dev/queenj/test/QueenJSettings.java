package dev.queenj.test;

/**
 * What a test class asks of its broker: the settings that change what a test sees. Everything else is fixed for
 * tests' taste (free ports, no initial rebalance delay, a short shutdown).
 *
 * @param partitions partitions of every auto-created topic (Kafka's {@code num.partitions})
 * @param autoCreateTopics whether Metadata creates the topics it names (Kafka's {@code auto.create.topics.enable})
 */
record QueenJSettings(int partitions, boolean autoCreateTopics) {
  static final int DEFAULT_PARTITIONS = 1;
  static final boolean DEFAULT_AUTO_CREATE_TOPICS = true;
  static final QueenJSettings DEFAULTS = new QueenJSettings(DEFAULT_PARTITIONS, DEFAULT_AUTO_CREATE_TOPICS);

  QueenJSettings {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
  }

  static QueenJSettings of(EmbeddedQueenJ annotation) {
    return new QueenJSettings(annotation.partitions(), annotation.autoCreateTopics());
  }
}
