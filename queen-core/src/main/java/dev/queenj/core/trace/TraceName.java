package dev.queenj.core.trace;

import java.time.OffsetDateTime;

/** A trace name in use: how many trace events and distinct messages carry it, and when it was last used. */
public record TraceName(String name, long traceCount, long messageCount, OffsetDateTime lastSeen) {}
