package dev.queenj.kafka.api;

import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * One Kafka API: the versions it fully implements and how it answers them. Registered in an {@link ApiTable}, which
 * dispatches to it only requests of a {@linkplain #supported() supported} version and advertises exactly those.
 *
 * @param <Q> the generated request message
 * @param <R> the generated response message
 */
public interface ApiHandler<Q extends ApiMessage, R extends ApiMessage> {

  SupportedApi<Q> supported();

  /**
   * The answer to a request whose version is in range. Every failure, thrown or in the returned stage, is answered
   * with {@link #errorResponse} carrying the code {@link KafkaErrors} maps it to. A null answer (from either) sends
   * nothing: for requests the client expects no response to, such as Produce with acks=0.
   */
  CompletionStage<R> handle(RequestContext context, Q request);

  /** The answer that reports {@code error} for the whole request, in the API's own error fields. */
  R errorResponse(RequestContext context, Q request, Errors error);
}
