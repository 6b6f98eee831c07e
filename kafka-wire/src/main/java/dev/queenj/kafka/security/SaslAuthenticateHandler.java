package dev.queenj.kafka.security;

import dev.queenj.kafka.api.ApiHandler;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.SupportedApi;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * SaslAuthenticate (key 36), v0–2: as {@link SaslHandshakeHandler}, answered by a SASL listener's authenticator;
 * here, off a SASL handshake, ILLEGAL_SASL_STATE as on Kafka.
 */
public final class SaslAuthenticateHandler
    implements ApiHandler<SaslAuthenticateRequestData, SaslAuthenticateResponseData> {
  private static final SupportedApi<SaslAuthenticateRequestData> SUPPORTED =
      SupportedApi.of(ApiKeys.SASL_AUTHENTICATE, 0, 2, SaslAuthenticateRequestData.class);

  @Override
  public SupportedApi<SaslAuthenticateRequestData> supported() {
    return SUPPORTED;
  }

  @Override
  public CompletionStage<SaslAuthenticateResponseData> handle(RequestContext context,
      SaslAuthenticateRequestData request) {
    return CompletableFuture.completedFuture(errorResponse(context, request, Errors.ILLEGAL_SASL_STATE));
  }

  @Override
  public SaslAuthenticateResponseData errorResponse(RequestContext context, SaslAuthenticateRequestData request,
      Errors error) {
    return new SaslAuthenticateResponseData().setErrorCode(error.code()).setErrorMessage(
        error == Errors.ILLEGAL_SASL_STATE ? "SaslAuthenticate request received without a SASL handshake" : null)
        .setAuthBytes(new byte[0]);
  }
}
