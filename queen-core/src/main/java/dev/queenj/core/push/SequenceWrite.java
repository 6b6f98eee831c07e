package dev.queenj.core.push;

import java.util.List;

/**
 * A producer state that an append stores with its records, only if the log still holds {@code expected} for that
 * producer (null: no state at all). {@code firstItems} is aligned with {@code next.batches()}: for a batch appended
 * by this statement, the index of its first item among the append's items; -1 for a batch stored earlier.
 */
record SequenceWrite(ProducerStates.Scope scope, ProducerState expected, ProducerState next,
    List<Integer> firstItems) {}
