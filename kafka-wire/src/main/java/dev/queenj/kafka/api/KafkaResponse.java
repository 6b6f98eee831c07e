package dev.queenj.kafka.api;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A response ready to encode: the body is written at {@code version}, which is the request's version except for the
 * v0 answer to an ApiVersions request we cannot serve. A null body means the client expects no answer (Produce
 * with acks=0): nothing is written.
 */
public record KafkaResponse(int correlationId, ApiKeys apiKey, short version, ApiMessage body) {

  public boolean answered() {
    return body != null;
  }
}
