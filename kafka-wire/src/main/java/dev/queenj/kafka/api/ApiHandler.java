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

  /**
   * How long answering {@code request} may take on purpose, beyond the storage deadline every request gets: a
   * Fetch's {@code max_wait_ms}. {@link #HELD_BY_GROUP_TIMERS} for requests that wait on a consumer group's own
   * timers (a rebalance), which end the wait themselves and involve no storage.
   */
  default long heldMs(Q request) {
    return 0;
  }

  /** See {@link #heldMs}. */
  long HELD_BY_GROUP_TIMERS = -1;

  /** The answer that reports {@code error} for the whole request, in the API's own error fields. */
  R errorResponse(RequestContext context, Q request, Errors error);
}
