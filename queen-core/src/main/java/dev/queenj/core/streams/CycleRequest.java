package dev.queenj.core.streams;

import dev.queenj.core.push.PushItem;
import java.util.List;
import java.util.UUID;

/** One cycle: state ops in order, sink pushes, an optional source ack (null: cursor and lease untouched). */
public record CycleRequest(UUID queryId, UUID partitionId, List<StateOp> stateOps, List<PushItem> pushItems,
    CycleAck ack, boolean releaseLease) {}
