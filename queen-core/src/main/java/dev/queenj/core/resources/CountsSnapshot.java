package dev.queenj.core.resources;

import dev.queenj.core.group.PartitionLag;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Every partition's message counts and every group's lag as one read found them.
 *
 * @param readAt when the read started: the counts are at least this old
 */
record CountsSnapshot(List<PartitionStats> partitions, List<PartitionLag> lags, OffsetDateTime readAt) {}
