package dev.queenj.core.kafkatxn;

/** A transactional id as ListTransactions reports it. */
public record TransactionListing(String transactionalId, long producerId, TxnState state) {}
