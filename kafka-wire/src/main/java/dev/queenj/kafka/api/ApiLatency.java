package dev.queenj.kafka.api;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Told how long each answered request took, by API and by the error the whole request was answered with
 * ({@link Errors#NONE} when its handler answered, even if that answer carries errors per topic or partition). Kept
 * free of any metrics library: the server binds it to its registry. Called on whatever thread completed the answer,
 * so it must be cheap and thread-safe.
 */
@FunctionalInterface
public interface ApiLatency {
  ApiLatency NONE = (api, error, nanos) -> { };

  void record(ApiKeys api, Errors error, long nanos);
}
