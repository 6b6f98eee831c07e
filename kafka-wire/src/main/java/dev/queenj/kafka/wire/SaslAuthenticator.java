package dev.queenj.kafka.wire;

import dev.queenj.kafka.api.KafkaResponse;
import dev.queenj.kafka.security.SaslExchange;
import dev.queenj.kafka.security.ScramUsers;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL on a SASL_PLAINTEXT or SASL_SSL connection, as a Kafka broker does it: until the client authenticated, only
 * ApiVersions, SaslHandshake (v1) and SaslAuthenticate are served and anything else closes the connection. A failed
 * authentication is answered with SASL_AUTHENTICATION_FAILED and its message, then the connection is closed; an
 * unsupported mechanism with UNSUPPORTED_SASL_MECHANISM and the enabled list. Success names the connection's
 * principal ({@code User:<name>}). With {@code connections.max.reauth.ms} the client is told how long its session
 * lasts (KIP-368); it re-authenticates on the live connection, as the same user, and a connection whose session
 * ran out is closed on its next request. Sits before the dispatcher, which sees only what passed.
 */
final class SaslAuthenticator extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SaslAuthenticator.class);
  private static final short HANDSHAKE_V0 = 0;
  private static final short AUTHENTICATE_V1 = 1;

  private enum State { HANDSHAKE, AUTHENTICATE, EVALUATING, AUTHENTICATED, REAUTH_AUTHENTICATE, REAUTH_EVALUATING }

  private final List<String> mechanisms;
  private final ScramUsers users;
  private final long maxReauthMs;
  private final LongSupplier nanoTime;
  private State state = State.HANDSHAKE;
  private SaslExchange exchange;
  private String authenticated;
  /** The clock's time after which the session is over; only with re-authentication on. */
  private long expiresAtNanos;

  SaslAuthenticator(List<String> mechanisms, ScramUsers users, long maxReauthMs) {
    this(mechanisms, users, maxReauthMs, System::nanoTime);
  }

  /** With {@code nanoTime} as the clock sessions expire by. */
  SaslAuthenticator(List<String> mechanisms, ScramUsers users, long maxReauthMs, LongSupplier nanoTime) {
    this.mechanisms = List.copyOf(mechanisms);
    this.users = users;
    this.maxReauthMs = maxReauthMs;
    this.nanoTime = nanoTime;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    KafkaRequest request = (KafkaRequest) message;
    ApiKeys key = request.header().apiKey();
    if (state == State.AUTHENTICATED && key != ApiKeys.SASL_HANDSHAKE) {
      if (maxReauthMs > 0 && nanoTime.getAsLong() - expiresAtNanos > 0) {
        refuse(ctx, request, "its SASL session expired (connections.max.reauth.ms " + maxReauthMs
            + ") without re-authentication");
      } else {
        ctx.fireChannelRead(request);
      }
      return;
    }
    if (key == ApiKeys.API_VERSIONS && state == State.HANDSHAKE) {
      ctx.fireChannelRead(request);
    } else if (key == ApiKeys.SASL_HANDSHAKE && (state == State.HANDSHAKE || state == State.AUTHENTICATED)) {
      handshake(ctx, request);
    } else if (key == ApiKeys.SASL_AUTHENTICATE
        && (state == State.AUTHENTICATE || state == State.REAUTH_AUTHENTICATE)) {
      authenticate(ctx, request);
    } else {
      refuse(ctx, request, "unexpected " + key.name + " in SASL state " + state);
    }
  }

  private void handshake(ChannelHandlerContext ctx, KafkaRequest request) {
    short version = request.header().apiVersion();
    if (version == HANDSHAKE_V0) {
      // v0 would be followed by raw SASL tokens without Kafka framing; every current client uses v1
      refuse(ctx, request, "SaslHandshake v0 (unframed SASL tokens) is not supported; SaslHandshake v1 is");
      return;
    }
    String mechanism = ((SaslHandshakeRequestData) request.body()).mechanism();
    SaslHandshakeResponseData answer = new SaslHandshakeResponseData().setMechanisms(mechanisms);
    request.release();
    if (!mechanisms.contains(mechanism)) {
      answer.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code());
      LOG.info("Kafka client at {} asked for SASL mechanism {}; enabled: {}", ctx.channel().remoteAddress(),
          mechanism, mechanisms);
      answerThenClose(ctx, request, answer);
      return;
    }
    exchange = new SaslExchange(mechanism, users);
    state = state == State.AUTHENTICATED ? State.REAUTH_AUTHENTICATE : State.AUTHENTICATE;
    answer(ctx, request, answer);
  }

  private void authenticate(ChannelHandlerContext ctx, KafkaRequest request) {
    byte[] token = ((SaslAuthenticateRequestData) request.body()).authBytes();
    request.release();
    boolean reauth = state == State.REAUTH_AUTHENTICATE;
    state = reauth ? State.REAUTH_EVALUATING : State.EVALUATING;
    exchange.evaluate(token).whenCompleteAsync((challenge, failure) -> {
      if (!ctx.channel().isActive()) {
        return;
      }
      if (failure == null && exchange.complete() && reauth && !exchange.user().equals(authenticated)) {
        failure = new SaslAuthenticationException("Cannot change principals during re-authentication from User:"
            + authenticated + " to User:" + exchange.user());
      }
      if (failure != null) {
        fail(ctx, request, failure);
        return;
      }
      SaslAuthenticateResponseData answer = new SaslAuthenticateResponseData().setErrorCode(Errors.NONE.code())
          .setAuthBytes(challenge == null ? new byte[0] : challenge);
      if (exchange.complete()) {
        authenticated = exchange.user();
        ConnectionPrincipal.set(ctx.channel(), new KafkaPrincipal(KafkaPrincipal.USER_TYPE, authenticated));
        state = State.AUTHENTICATED;
        if (maxReauthMs > 0) {
          expiresAtNanos = nanoTime.getAsLong() + maxReauthMs * 1_000_000L;
          if (request.header().apiVersion() >= AUTHENTICATE_V1) {
            answer.setSessionLifetimeMs(maxReauthMs);
          }
        }
        LOG.debug("Kafka client at {} authenticated as User:{} with {}", ctx.channel().remoteAddress(),
            authenticated, exchange.mechanism());
      } else {
        state = reauth ? State.REAUTH_AUTHENTICATE : State.AUTHENTICATE;
      }
      answer(ctx, request, answer);
    }, ctx.executor());
  }

  /**
   * Kafka's answers: a SaslAuthenticationException's own message, else the generic one about credentials. A failure
   * to read the credentials (Postgres away or past its deadlines) is no verdict on them: the connection is closed
   * unanswered, and the client reconnects and tries again.
   */
  private void fail(ChannelHandlerContext ctx, KafkaRequest request, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
        : failure;
    if (!(cause instanceof SaslException) && !(cause instanceof AuthenticationException)) {
      LOG.warn("closing Kafka connection from {}: its SASL {} credentials could not be checked",
          ctx.channel().remoteAddress(), exchange.mechanism(), cause);
      ctx.close();
      return;
    }
    String message = cause instanceof SaslAuthenticationException ? cause.getMessage()
        : "Authentication failed during authentication due to invalid credentials with SASL mechanism "
            + exchange.mechanism();
    LOG.info("Kafka client at {} failed SASL {} authentication: {}", ctx.channel().remoteAddress(),
        exchange.mechanism(), cause.getMessage());
    answerThenClose(ctx, request, new SaslAuthenticateResponseData()
        .setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(message).setAuthBytes(new byte[0]));
  }

  private static void answer(ChannelHandlerContext ctx, KafkaRequest request, ApiMessage body) {
    ctx.writeAndFlush(response(request, body)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  private static void answerThenClose(ChannelHandlerContext ctx, KafkaRequest request, ApiMessage body) {
    ctx.writeAndFlush(response(request, body)).addListener(ChannelFutureListener.CLOSE);
  }

  private static KafkaResponse response(KafkaRequest request, ApiMessage body) {
    return new KafkaResponse(request.header().correlationId(), request.header().apiKey(),
        request.header().apiVersion(), body);
  }

  private static void refuse(ChannelHandlerContext ctx, KafkaRequest request, String why) {
    request.release();
    Disconnect.because(ctx, why);
  }
}
