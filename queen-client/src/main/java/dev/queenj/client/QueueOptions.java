package dev.queenj.client;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A queue's options for {@link QueenClient#configure}. Configure overwrites every option, so an option left out
 * returns to its default (the server's defaults are this builder's). Times are seconds except {@code retryDelayMs}.
 */
public record QueueOptions(int leaseTime, int retryLimit, int retryDelayMs, int maxSize, int ttl,
    boolean deadLetterQueue, boolean dlqAfterMaxRetries, int priority, int delayedProcessing, int windowBuffer,
    int retentionSeconds, int completedRetentionSeconds, boolean retentionEnabled, boolean encryptionEnabled,
    int maxWaitTimeSeconds) {

  public static Builder builder() {
    return new Builder();
  }

  ObjectNode toJson() {
    return Json.object().put("leaseTime", leaseTime).put("retryLimit", retryLimit).put("retryDelay", retryDelayMs)
        .put("maxSize", maxSize).put("ttl", ttl).put("deadLetterQueue", deadLetterQueue)
        .put("dlqAfterMaxRetries", dlqAfterMaxRetries).put("priority", priority)
        .put("delayedProcessing", delayedProcessing).put("windowBuffer", windowBuffer)
        .put("retentionSeconds", retentionSeconds).put("completedRetentionSeconds", completedRetentionSeconds)
        .put("retentionEnabled", retentionEnabled).put("encryptionEnabled", encryptionEnabled)
        .put("maxWaitTimeSeconds", maxWaitTimeSeconds);
  }

  /** Starts at the server's defaults: leaseTime 300, retryLimit 3, retryDelay 1000 ms, ttl 3600, the rest 0/false. */
  public static final class Builder {
    private int leaseTime = 300;
    private int retryLimit = 3;
    private int retryDelayMs = 1000;
    private int maxSize;
    private int ttl = 3600;
    private boolean deadLetterQueue;
    private boolean dlqAfterMaxRetries;
    private int priority;
    private int delayedProcessing;
    private int windowBuffer;
    private int retentionSeconds;
    private int completedRetentionSeconds;
    private boolean retentionEnabled;
    private boolean encryptionEnabled;
    private int maxWaitTimeSeconds;

    private Builder() {
    }

    public Builder leaseTime(int seconds) {
      this.leaseTime = seconds;
      return this;
    }

    public Builder retryLimit(int retryLimit) {
      this.retryLimit = retryLimit;
      return this;
    }

    public Builder retryDelayMs(int millis) {
      this.retryDelayMs = millis;
      return this;
    }

    public Builder maxSize(int maxSize) {
      this.maxSize = maxSize;
      return this;
    }

    public Builder ttl(int seconds) {
      this.ttl = seconds;
      return this;
    }

    public Builder deadLetterQueue(boolean on) {
      this.deadLetterQueue = on;
      return this;
    }

    public Builder dlqAfterMaxRetries(boolean on) {
      this.dlqAfterMaxRetries = on;
      return this;
    }

    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder delayedProcessing(int seconds) {
      this.delayedProcessing = seconds;
      return this;
    }

    public Builder windowBuffer(int seconds) {
      this.windowBuffer = seconds;
      return this;
    }

    public Builder retentionSeconds(int seconds) {
      this.retentionSeconds = seconds;
      return this;
    }

    public Builder completedRetentionSeconds(int seconds) {
      this.completedRetentionSeconds = seconds;
      return this;
    }

    public Builder retentionEnabled(boolean on) {
      this.retentionEnabled = on;
      return this;
    }

    public Builder encryptionEnabled(boolean on) {
      this.encryptionEnabled = on;
      return this;
    }

    public Builder maxWaitTimeSeconds(int seconds) {
      this.maxWaitTimeSeconds = seconds;
      return this;
    }

    public QueueOptions build() {
      return new QueueOptions(leaseTime, retryLimit, retryDelayMs, maxSize, ttl, deadLetterQueue, dlqAfterMaxRetries,
          priority, delayedProcessing, windowBuffer, retentionSeconds, completedRetentionSeconds, retentionEnabled,
          encryptionEnabled, maxWaitTimeSeconds);
    }
  }
}
