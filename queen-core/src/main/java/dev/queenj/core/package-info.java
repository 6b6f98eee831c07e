/**
 * The Queen domain and its Postgres storage: queues and partitions, the append path (offsets, dedup, group commit),
 * pop/lease/ack/retry/DLQ, transactions, consumer groups and subscriptions, change notifications, the fsynced outage
 * buffer for pushes Postgres cannot take ({@code buffer}), the maintenance switches ({@code maintenance}), Kafka
 * transactions staged in Postgres ({@code kafkatxn}), and what operators read: trace events ({@code trace}) and
 * per-minute throughput counted as work happens, lag and sizes ({@code stats}).
 *
 * <p>No HTTP or Kafka types here: protocols map their requests onto these services and map {@link
 * dev.queenj.core.error.QueenException}s onto their own error codes. Every operation returns a Vert.x {@code Future}
 * and never blocks the calling event loop.
 */
package dev.queenj.core;
