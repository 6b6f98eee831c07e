package dev.queenj.kafka.api;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The authorization step of dispatch: one place that knows, per API, which resources a request touches and with
 * which operation (Kafka's "Operations and Resources on Protocols").
 */
@FunctionalInterface
public interface RequestAuthorization {
  /** Everything admitted: no authorizer. */
  RequestAuthorization NONE = (context, request) -> Admission.ADMITTED;

  Admission admit(RequestContext context, ApiMessage request);
}
