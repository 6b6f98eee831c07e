package dev.queenj.core.push;

import java.util.List;

/**
 * One unit of a group-committed append: a native item alone, or an idempotent producer's batch (all its items go to
 * one log), which is stored once, in sequence, or not at all.
 *
 * @param producer the batch's idempotence header; null for a plain append
 */
record Append(List<PushItem> items, ProducerBatch producer) {}
