package dev.queenj.core.kafkatxn;

import java.util.List;
import java.util.Map;

/**
 * A transactional id as DescribeTransactions reports it: its producer, where its transaction stands, since when (ms,
 * -1 before the first one), and the partitions of the open one by topic.
 */
public record TransactionDescription(String transactionalId, long producerId, short epoch, TxnState state,
    int timeoutMs, long startedAtMs, Map<String, List<Integer>> partitions) {}
