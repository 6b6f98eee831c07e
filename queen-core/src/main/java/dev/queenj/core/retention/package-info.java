/**
 * Retention, eviction and cleanup: the background services that delete messages, dead letters and idle partitions
 * under the queues' options and the topics' Kafka configs, and Kafka producers' states, ids and transactional ids
 * past Kafka's expirations, one cycle at a time across instances, in bounded batches.
 * Owns the meaning of a log's start offset ({@link dev.queenj.core.retention.RetentionService}); never touches the
 * append path or the pop/ack statements, which stay consistent with it through the log start and the cursors it
 * moves.
 */
package dev.queenj.core.retention;
