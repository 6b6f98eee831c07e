package dev.queenj.core.queue;

import dev.queenj.core.error.InvalidRequestException;

/**
 * Per-queue options (spec §3.1). Configure overwrites all of them: an omitted option returns to its default.
 * Times are in seconds except {@code retryDelay} (milliseconds).
 */
public record QueueOptions(
    int leaseTime,
    int retryLimit,
    int retryDelay,
    int maxSize,
    int ttl,
    boolean deadLetterQueue,
    boolean dlqAfterMaxRetries,
    int priority,
    int delayedProcessing,
    int windowBuffer,
    int retentionSeconds,
    int completedRetentionSeconds,
    boolean retentionEnabled,
    boolean encryptionEnabled,
    int maxWaitTimeSeconds) {

  public static final int DEFAULT_LEASE_TIME = 300;
  public static final int DEFAULT_RETRY_LIMIT = 3;
  public static final int DEFAULT_RETRY_DELAY_MS = 1000;
  public static final int DEFAULT_TTL = 3600;
  /** Lease length used when a queue's leaseTime is 0. */
  public static final int FALLBACK_LEASE_SECONDS = 60;

  public static final QueueOptions DEFAULTS = new QueueOptions(DEFAULT_LEASE_TIME, DEFAULT_RETRY_LIMIT,
      DEFAULT_RETRY_DELAY_MS, 0, DEFAULT_TTL, false, false, 0, 0, 0, 0, 0, false, false, 0);

  public QueueOptions {
    requireNonNegative("leaseTime", leaseTime);
    requireNonNegative("retryLimit", retryLimit);
    requireNonNegative("retryDelay", retryDelay);
    requireNonNegative("maxSize", maxSize);
    requireNonNegative("ttl", ttl);
    requireNonNegative("delayedProcessing", delayedProcessing);
    requireNonNegative("windowBuffer", windowBuffer);
    requireNonNegative("retentionSeconds", retentionSeconds);
    requireNonNegative("completedRetentionSeconds", completedRetentionSeconds);
    requireNonNegative("maxWaitTimeSeconds", maxWaitTimeSeconds);
  }

  private static void requireNonNegative(String name, int value) {
    if (value < 0) {
      throw new InvalidRequestException(name + " must not be negative");
    }
  }

  public int effectiveLeaseSeconds() {
    return leaseTime == 0 ? FALLBACK_LEASE_SECONDS : leaseTime;
  }
}
