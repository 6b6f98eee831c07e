package dev.queenj.core.resources;

/** The queues sharing a namespace or a task: how many, their partitions, and their summed message counts. */
public record QueueGroupStats(String name, int queues, int partitions, MessageStats messages) {}
