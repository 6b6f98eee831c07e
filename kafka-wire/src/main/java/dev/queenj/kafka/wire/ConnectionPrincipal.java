package dev.queenj.kafka.wire;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * Who a Kafka connection speaks for: {@code User:ANONYMOUS} until the listener's authentication (TLS client
 * certificate or SASL) names someone, as on a Kafka broker. Every request of the connection carries it in its
 * {@link dev.queenj.kafka.api.RequestContext}, which is where authorization reads it.
 */
public final class ConnectionPrincipal {
  private static final AttributeKey<KafkaPrincipal> KEY = AttributeKey.valueOf("queenj.kafka.principal");

  private ConnectionPrincipal() {}

  public static KafkaPrincipal of(Channel channel) {
    KafkaPrincipal principal = channel.attr(KEY).get();
    return principal == null ? KafkaPrincipal.ANONYMOUS : principal;
  }

  public static void set(Channel channel, KafkaPrincipal principal) {
    channel.attr(KEY).set(principal);
  }
}
