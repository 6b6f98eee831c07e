package dev.queenj.core.group;

/**
 * What deleting a consumer group (or its state on one queue) removed.
 *
 * @param deletedPartitions partition cursors removed
 * @param metadataDeleted whether the stored subscriptions were removed too
 */
public record GroupDeletion(int deletedPartitions, boolean metadataDeleted) {}
