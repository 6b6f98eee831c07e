package dev.queenj.kafka.security;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslHandshake (key 17), v1, advertised from v0 on every listener as Kafka does: librdkafka enables SASL only when
 * the range starts at 0, then uses v1. On a SASL listener the connection's authenticator answers it before it gets
 * here; reaching this handler means the listener does not do SASL, which Kafka answers with ILLEGAL_SASL_STATE.
 * v0 (followed by unframed SASL tokens, clients before Kafka 1.0) is refused: UNSUPPORTED_VERSION here, a closed
 * connection on a SASL listener.
 */
public final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequestData, SaslHandshakeResponseData> {
  private static final SupportedApi<SaslHandshakeRequestData> SUPPORTED =
      SupportedApi.refusingOlder(ApiKeys.SASL_HANDSHAKE, 0, 1, 1, SaslHandshakeRequestData.class);

  private final List<String> mechanisms;

  public SaslHandshakeHandler(List<String> mechanisms) {
    this.mechanisms = List.copyOf(mechanisms);
  }

  @Override
  public SupportedApi<SaslHandshakeRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<SaslHandshakeResponseData> handle(RequestContext context, SaslHandshakeRequestData request) {
    return CompletableFuture.completedFuture(errorResponse(context, request, Errors.ILLEGAL_SASL_STATE));
  }

  @Override
  public SaslHandshakeResponseData errorResponse(RequestContext context, SaslHandshakeRequestData request,
      Errors error) {
    return new SaslHandshakeResponseData().setErrorCode(error.code()).setMechanisms(mechanisms);
  }
}
