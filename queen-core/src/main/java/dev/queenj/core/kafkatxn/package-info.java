/**
 * Kafka transactions (KIP-98, the classic protocol) on Postgres transactions. A transactional producer's records and
 * consumer offsets are <em>staged</em> in Postgres and appended to the log only by a commit, in one Postgres
 * transaction with the offsets; an abort or the timeout deletes them. So nothing of an open or aborted transaction is
 * ever in the log, and every reader, Kafka or native, sees committed records only.
 *
 * <p>All state lives in Postgres ({@code V015}); every change of a transactional id runs under its row lock, so any
 * instance may serve any transactional id. Knows producer ids, epochs and sequences, but no Kafka types: kafka-wire
 * translates requests and maps {@link dev.queenj.core.error.TransactionRefusedException}'s reasons to Kafka codes.
 */
package dev.queenj.core.kafkatxn;
