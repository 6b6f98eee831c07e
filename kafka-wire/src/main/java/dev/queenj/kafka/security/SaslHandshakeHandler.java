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
 * SaslHandshake (key 17), v1: advertised on every listener as Kafka does. On a SASL listener the connection's
 * authenticator answers it before it gets here; reaching this handler means the listener does not do SASL (or the
 * client is past it), which Kafka answers with ILLEGAL_SASL_STATE. v0 (unframed SASL tokens) is not offered.
 */
public final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequestData, SaslHandshakeResponseData> {
  private static final SupportedApi<SaslHandshakeRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.SASL_HANDSHAKE, 1, 1, SaslHandshakeRequestData.class);

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
