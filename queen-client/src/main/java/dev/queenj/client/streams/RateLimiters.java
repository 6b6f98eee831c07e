package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Queen's rate-limiter gate helpers ({@code tokenBucketGate}, {@code slidingWindowGate} of its JS SDK,
 * {@code rate_limiter} in Python): ready-made {@link Gate}s for {@link Stream#gate}, keeping their per-key state in
 * Queen's field names, so a Java and a JS/Python runner of the same query read each other's buckets. A cost that is
 * not a finite number of at least 0 counts as 1; a cost of 0 is always allowed and consumes nothing. Denials change
 * nothing stored (the gate keeps state only for allowed records).
 */
public final class RateLimiters {
  private RateLimiters() {
  }

  /** A token bucket of {@code capacity} tokens refilled at {@code refillPerSec}, one token per record. */
  public static Gate tokenBucket(double capacity, double refillPerSec) {
    return tokenBucket(capacity, refillPerSec, value -> 1);
  }

  /**
   * A token bucket: state {@code tokens} (starting full), {@code lastRefillAt} (the gate's clock, ms), and, for
   * what it let through, {@code allowedTotal} and {@code consumedTotal}. The sustainable rate is at most
   * {@code min(refillPerSec, capacity / leaseSeconds)}: size the capacity near refillPerSec × the source's lease.
   */
  public static Gate tokenBucket(double capacity, double refillPerSec, ToDoubleFunction<JsonNode> cost) {
    if (!(capacity > 0) || !(refillPerSec > 0) || Double.isInfinite(capacity) || Double.isInfinite(refillPerSec)) {
      throw new IllegalArgumentException("a token bucket's capacity and refillPerSec are positive numbers");
    }
    return (value, ctx) -> {
      ObjectNode state = ctx.state();
      long now = ctx.streamTimeMs();
      double tokens = state.path("tokens").isNumber() ? state.get("tokens").asDouble() : capacity;
      long last = state.path("lastRefillAt").isNumber() ? state.get("lastRefillAt").asLong() : now;
      tokens = Math.min(capacity, tokens + Math.max(0, (now - last) / 1000.0) * refillPerSec);
      state.set("tokens", StreamJson.number(tokens));
      state.put("lastRefillAt", now);
      double price = price(cost, value);
      if (price == 0) {
        return true;
      }
      if (tokens < price) {
        return false;
      }
      state.set("tokens", StreamJson.number(tokens - price));
      state.set("allowedTotal", StreamJson.number(state.path("allowedTotal").asDouble(0) + 1));
      state.set("consumedTotal", StreamJson.number(state.path("consumedTotal").asDouble(0) + price));
      return true;
    };
  }

  /** At most {@code limit} records per {@code window}, estimated over the current and the previous window. */
  public static Gate slidingWindow(double limit, Duration window) {
    return slidingWindow(limit, window, value -> 1);
  }

  /**
   * Queen's two-bucket sliding window: state {@code window} (the current window's number since the epoch),
   * {@code currentCount} and {@code previousCount}; a record is allowed while previousCount × (the share of the
   * current window still to come) + currentCount + its cost stays within {@code limit}. An approximation (within
   * one window's rate at the boundary), as Queen's.
   */
  public static Gate slidingWindow(double limit, Duration window, ToDoubleFunction<JsonNode> cost) {
    long windowMs = window.toMillis();
    if (!(limit > 0) || Double.isInfinite(limit) || windowMs < 1) {
      throw new IllegalArgumentException("a sliding window's limit and length are positive");
    }
    return (value, ctx) -> {
      ObjectNode state = ctx.state();
      long now = ctx.streamTimeMs();
      long current = Math.floorDiv(now, windowMs);
      double elapsed = Math.floorMod(now, windowMs) / (double) windowMs;
      JsonNode stored = state.path("window");
      if (!stored.isNumber() || stored.asLong() != current) {
        boolean previous = stored.isNumber() && stored.asLong() == current - 1;
        state.set("previousCount", StreamJson.number(previous ? state.path("currentCount").asDouble(0) : 0));
        state.put("currentCount", 0);
        state.put("window", current);
      }
      double estimated = state.path("previousCount").asDouble(0) * (1 - elapsed)
          + state.path("currentCount").asDouble(0);
      double price = price(cost, value);
      if (estimated + price > limit) {
        return false;
      }
      state.set("currentCount", StreamJson.number(state.path("currentCount").asDouble(0) + price));
      return true;
    };
  }

  private static double price(ToDoubleFunction<JsonNode> cost, JsonNode value) {
    double price = cost.applyAsDouble(value);
    return Double.isFinite(price) && price >= 0 ? price : 1;
  }
}
