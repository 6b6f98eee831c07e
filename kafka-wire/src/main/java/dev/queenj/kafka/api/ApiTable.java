package dev.queenj.kafka.api;

import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import dev.queenj.core.acl.AclPolicy;
import dev.queenj.core.storage.DatabaseTimeouts;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * The APIs this server speaks, one handler per key. The same table dispatches requests and produces the ApiVersions
 * answer, so an API or version is advertised exactly when it is served (spec §1, rule zero).
 */
public final class ApiTable {
  private static final short PRODUCE_V2 = 2;
  private static final short PRODUCE_V3 = 3;
  private final EnumMap<ApiKeys, ApiHandler<?, ?>> handlers = new EnumMap<>(ApiKeys.class);
  private final long deadlineMs;
  private final AclPolicy acls;
  private final RequestAuthorization authorization;
  private final ApiLatency latency;

  private ApiTable(long deadlineMs, AclPolicy acls, RequestAuthorization authorization, ApiLatency latency) {
    this.deadlineMs = deadlineMs;
    this.acls = acls;
    this.authorization = authorization;
    this.latency = latency;
  }

  /** {@link #of(List, long)} with the default storage deadline. */
  public static ApiTable of(List<ApiHandler<?, ?>> apis) {
    return of(apis, DatabaseTimeouts.DEFAULT_STATEMENT_MS);
  }

  /**
   * ApiVersions, answered from this table, plus {@code apis}. A request not answered within {@code deadlineMs} (plus
   * what its handler {@linkplain ApiHandler#heldMs holds it on purpose}) is answered with a retriable error, so that
   * a stalled database never leaves a connection waiting for ever (its requests are answered in order).
   */
  public static ApiTable of(List<ApiHandler<?, ?>> apis, long deadlineMs) {
    return of(apis, deadlineMs, AclPolicy.DISABLED, RequestAuthorization.NONE);
  }

  /**
   * The same, with every request of a served version first put through {@code authorization} against what
   * {@code acls} allow the connection's principal.
   */
  public static ApiTable of(List<ApiHandler<?, ?>> apis, long deadlineMs, AclPolicy acls,
      RequestAuthorization authorization) {
    return of(apis, deadlineMs, acls, authorization, ApiLatency.NONE);
  }

  /** The same, telling {@code latency} how long each answer took. */
  public static ApiTable of(List<ApiHandler<?, ?>> apis, long deadlineMs, AclPolicy acls,
      RequestAuthorization authorization, ApiLatency latency) {
    ApiTable table = new ApiTable(deadlineMs, acls, authorization, latency);
    table.register(new ApiVersionsHandler(table::advertised));
    apis.forEach(table::register);
    return table;
  }

  private void register(ApiHandler<?, ?> handler) {
    ApiKeys key = handler.supported().apiKey();
    if (handlers.containsKey(key)) {
      throw new IllegalArgumentException("two handlers for " + key.name);
    }
    handlers.put(key, handler);
  }

  /** What requests are authorized against; handed to each request in its {@link RequestContext}. */
  public AclPolicy acls() {
    return acls;
  }

  public boolean serves(ApiKeys key) {
    return handlers.containsKey(key);
  }

  /** What ApiVersions advertises: every registered API with its range, by key. A new collection on every call. */
  public ApiVersionCollection advertised() {
    ApiVersionCollection versions = new ApiVersionCollection(handlers.size());
    handlers.values().forEach(handler -> versions.add(handler.supported().toApiVersion()));
    return versions;
  }

  /**
   * The answer to a request of a {@linkplain #serves served} API. A version outside the handler's range is answered
   * with UNSUPPORTED_VERSION in the API's own error fields; a handler's failure with its mapped error code. The stage
   * fails only if building even the error answer failed.
   */
  public CompletionStage<KafkaResponse> dispatch(RequestContext context, ApiMessage request) {
    long started = System.nanoTime();
    Errors[] outcome = {Errors.NONE};
    return answer(context, request, outcome).whenComplete((response, failure) -> latency.record(context.apiKey(),
        failure == null ? outcome[0] : Errors.UNKNOWN_SERVER_ERROR, System.nanoTime() - started));
  }

  /** The answer, with the error the whole request is answered with put in {@code outcome[0]}. */
  private CompletionStage<KafkaResponse> answer(RequestContext context, ApiMessage request, Errors[] outcome) {
    ApiHandler<?, ?> handler = handlers.get(context.apiKey());
    if (handler == null) {
      throw new IllegalArgumentException(context.apiKey().name + " is not served");
    }
    short version = context.apiVersion();
    if (!handler.supported().supports(version)) {
      // A too-new ApiVersions request is answered in v0, which every client can read, so that it retries with a
      // version from the range listed in the answer (KIP-511); Kafka brokers do the same.
      short answerVersion;
      try {
        answerVersion = context.apiKey() == ApiKeys.API_VERSIONS ? 0 : refusalVersion(context.apiKey(), version);
      } catch (UnsupportedVersionException e) {
        return CompletableFuture.failedFuture(e);
      }
      outcome[0] = Errors.UNSUPPORTED_VERSION;
      return CompletableFuture.completedFuture(new KafkaResponse(context.correlationId(), context.apiKey(),
          answerVersion, errorResponse(handler, context, request, Errors.UNSUPPORTED_VERSION)));
    }
    Admission admission;
    try {
      admission = authorization.admit(context, request);
    } catch (RuntimeException e) {
      admission = Admission.refused(KafkaErrors.of(e, context));
    }
    if (admission.refusal() != Errors.NONE) {
      outcome[0] = admission.refusal();
      return CompletableFuture.completedFuture(new KafkaResponse(context.correlationId(), context.apiKey(), version,
          errorResponse(handler, context, request, admission.refusal())));
    }
    Admission admitted = admission;
    return answer(handler, context, request, deadlineMs, outcome).thenApply(body -> new KafkaResponse(
        context.correlationId(), context.apiKey(), version, admitted.complete(body)));
  }

  /**
   * The version a refusal is written in. Versions that are advertised but older than kafka-clients can write exist
   * only for Produce (v0–2): v2's response has exactly v3's layout, so it is written as v3; v0 and v1 responses
   * differ and cannot be written, so those connections are closed.
   */
  private static short refusalVersion(ApiKeys api, short version) {
    if (version >= api.oldestVersion()) {
      return version;
    }
    if (api == ApiKeys.PRODUCE && version == PRODUCE_V2) {
      return PRODUCE_V3;
    }
    throw new UnsupportedVersionException(api.name + " v" + version + " responses cannot be written");
  }

  private static <Q extends ApiMessage, R extends ApiMessage> CompletionStage<ApiMessage> answer(
      ApiHandler<Q, R> handler, RequestContext context, ApiMessage body, long deadlineMs, Errors[] outcome) {
    Q request = handler.supported().requestType().cast(body);
    CompletionStage<R> answer;
    try {
      answer = handler.handle(context, request);
      long held = handler.heldMs(request);
      if (held != ApiHandler.HELD_BY_GROUP_TIMERS) {
        // a copy: the handler's own stage must not be completed by the deadline (it may be shared)
        answer = answer.toCompletableFuture().copy().orTimeout(deadlineMs + Math.max(0, held), TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle((response, failure) -> {
      if (failure == null) {
        return response;
      }
      outcome[0] = KafkaErrors.of(failure, context);
      return handler.errorResponse(context, request, outcome[0]);
    });
  }

  private static <Q extends ApiMessage> ApiMessage errorResponse(ApiHandler<Q, ?> handler, RequestContext context,
      ApiMessage body, Errors error) {
    return handler.errorResponse(context, handler.supported().requestType().cast(body), error);
  }
}
