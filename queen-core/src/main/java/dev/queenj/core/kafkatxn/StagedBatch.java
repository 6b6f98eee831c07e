package dev.queenj.core.kafkatxn;

import dev.queenj.core.push.ProducerBatch;
import dev.queenj.core.push.PushItem;
import dev.queenj.core.queue.Queue;
import java.util.List;

/** A transactional producer's record batch for one log of {@code queue}: its idempotence header and its records. */
public record StagedBatch(Queue queue, int kafkaPartition, ProducerBatch header, List<PushItem> items) {}
