package dev.queenj.core.stats;

import java.time.Instant;

/** The work done in one time bucket starting at {@code start}. */
public record Bucket(Instant start, Throughput throughput) {}
