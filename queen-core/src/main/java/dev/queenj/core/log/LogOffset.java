package dev.queenj.core.log;

/**
 * A time lookup in one Kafka partition: its log start and high watermark, and the record found (offset and timestamp
 * -1 when none matched).
 */
public record LogOffset(long logStartOffset, long highWatermark, long offset, long timestamp) {}
