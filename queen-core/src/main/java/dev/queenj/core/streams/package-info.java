/**
 * Queen streams' server side ({@code /streams/v1}): registered queries, their keyed state per source partition in
 * the {@code queen_streams} schema, and the cycle committing state, sink pushes and the source ack in one transaction.
 */
package dev.queenj.core.streams;
