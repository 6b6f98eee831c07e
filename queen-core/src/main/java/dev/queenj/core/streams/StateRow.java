package dev.queenj.core.streams;

import java.time.OffsetDateTime;

/** One state row as read: its key, its value as JSON text, and when it was last written. */
public record StateRow(String key, String valueJson, OffsetDateTime updatedAt) {}
