package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a {@link Gate} sees besides the record: {@code state}, the key's stored object, which the gate may change
 * (kept only when it allows the record); {@code streamTimeMs}, the runner's clock for the batch (for refill math);
 * the source partition's id and name; and the record's key (the partition id unless {@code keyBy} set another).
 */
public record GateContext(ObjectNode state, long streamTimeMs, String partitionId, String partition, String key) {
}
