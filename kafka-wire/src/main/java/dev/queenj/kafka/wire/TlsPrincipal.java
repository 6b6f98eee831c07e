package dev.queenj.kafka.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On an SSL listener, names the connection after the client's certificate as Kafka's default principal builder
 * does: {@code User:} and the certificate's full subject DN in RFC 2253 form ({@code User:CN=alice,OU=eng,O=acme}).
 * Without a client certificate the connection stays {@code User:ANONYMOUS}. A failed handshake closes the connection
 * (the SslHandler does); it is logged here.
 */
final class TlsPrincipal extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(TlsPrincipal.class);
  private final boolean namesPrincipal;

  /** {@code namesPrincipal} false on SASL_SSL, where SASL names the principal. */
  TlsPrincipal(boolean namesPrincipal) {
    this.namesPrincipal = namesPrincipal;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslHandshakeCompletionEvent done) {
      if (!done.isSuccess()) {
        LOG.info("TLS handshake with Kafka client at {} failed: {}", ctx.channel().remoteAddress(),
            done.cause().getMessage());
      } else if (namesPrincipal) {
        try {
          String subject = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerPrincipal().getName();
          ConnectionPrincipal.set(ctx.channel(), new KafkaPrincipal(KafkaPrincipal.USER_TYPE, subject));
        } catch (SSLPeerUnverifiedException noClientCertificate) {
          // stays User:ANONYMOUS
        }
      }
      ctx.pipeline().remove(this);
    }
    ctx.fireUserEventTriggered(event);
  }
}
