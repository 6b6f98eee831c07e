package dev.queenj.core.log;

/** How many bytes one Kafka partition's log holds from its log start, in log positions (see log_sizes_select.sql). */
public record LogSize(String queue, int kafkaPartition, long bytes) {}
