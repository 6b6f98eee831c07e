package dev.queenj.kafka.metadata;

/** One broker as a Kafka client is told about it: an instance's node id and its endpoint on the client's listener. */
public record Broker(int nodeId, String host, int port) {}
