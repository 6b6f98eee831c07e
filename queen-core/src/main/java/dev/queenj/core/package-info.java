/**
 * The Queen domain and its Postgres storage: queues and partitions, the append path (offsets, dedup, group commit),
 * pop/lease/ack/retry/DLQ, transactions, consumer groups and subscriptions, change notifications, the fsynced outage
 * buffer for pushes Postgres cannot take ({@code buffer}), the maintenance switches ({@code maintenance}), Kafka
 * transactions staged in Postgres ({@code kafkatxn}), and what operators read: trace events ({@code trace}) and
 * per-minute throughput counted as work happens, lag and sizes ({@code stats}); Kafka groups' live members are the
 * Kafka coordinator's, lent read-only through {@code group.LiveKafkaGroups}.
 *
 * <p>Owns all storage: every SQL statement ({@code .sql} resources next to the class that runs it), the SQL client and
 * the connection pools; Kafka-only state too (consumer-group offsets in {@code group.KafkaGroupOffsets}, producer ids
 * and transactions in {@code kafkatxn}). Protocols call typed methods and read Postgres' refusals through
 * {@link dev.queenj.core.storage.PostgresError}; {@code Database.pool()} is for this module only.
 *
 * <p>Must not touch: Netty, Kafka's classes (kafka-clients) or HTTP types, nor the protocol modules: protocols map
 * their requests onto these services and map {@link dev.queenj.core.error.QueenException}s onto their own error
 * codes. Every operation returns a Vert.x {@code Future} and never blocks the calling event loop. queen-server's
 * {@code ModuleBoundariesTest} holds these rules.
 */
package dev.queenj.core;
