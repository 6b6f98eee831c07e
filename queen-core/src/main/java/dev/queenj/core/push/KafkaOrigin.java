package dev.queenj.core.push;

/**
 * What a Kafka producer said about a record besides its value: the Kafka partition (log) it was produced into, its
 * key and headers as bytes, and its CreateTime. The core stores these opaquely; {@code headers} is the encoded form
 * kafka-wire documents (null when there are none).
 */
public record KafkaOrigin(int kafkaPartition, byte[] key, byte[] headers, long timestamp) {}
