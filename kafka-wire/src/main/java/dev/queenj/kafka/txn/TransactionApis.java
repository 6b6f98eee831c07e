package dev.queenj.kafka.txn;

import dev.queenj.core.QueenCore;
import dev.queenj.kafka.api.ApiHandler;
import java.util.List;

/**
 * The transaction coordinator's APIs (classic transactions, KIP-98) and the admin views of transactions and
 * producers, for the API table. InitProducerId lives with
 * Produce; TxnOffsetCommit with the group coordinator, which checks the committing member.
 */
public final class TransactionApis {
  private TransactionApis() {}

  public static List<ApiHandler<?, ?>> over(QueenCore core) {
    return List.of(new AddPartitionsToTxnHandler(core.kafkaTransactions(), core.queues()),
        new AddOffsetsToTxnHandler(core.kafkaTransactions()), new EndTxnHandler(core.kafkaTransactions()),
        new DescribeTransactionsHandler(core.transactionViews()), new ListTransactionsHandler(core.transactionViews()),
        new DescribeProducersHandler(core.transactionViews(), core.queues()));
  }
}
