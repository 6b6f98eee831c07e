package dev.queenj.client.streams;

import com.fasterxml.jackson.databind.JsonNode;

/** A per-record allow/deny decision with per-key state: rate limiters, throttles, circuit breakers. */
@FunctionalInterface
public interface Gate {
  /** True lets the record through; false stops the batch here (it comes back once its lease expires). */
  boolean allow(JsonNode value, GateContext context);
}
