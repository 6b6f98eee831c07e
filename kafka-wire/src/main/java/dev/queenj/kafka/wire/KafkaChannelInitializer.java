package dev.queenj.kafka.wire;

import dev.queenj.kafka.api.ApiTable;
import dev.queenj.kafka.security.KafkaSecurity;
import dev.queenj.kafka.security.Listener;
import dev.queenj.kafka.security.ScramUsers;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslContext;

/**
 * The whole pipeline of a Kafka connection, in one place:
 *
 * <pre>
 *   bytes → [tls] → frame-decoder → request-decoder → [sasl] → dispatcher → response-encoder → [tls] → bytes
 * </pre>
 *
 * TLS on SSL and SASL_SSL listeners, SASL authentication on SASL_PLAINTEXT and SASL_SSL ones. Every open connection
 * joins {@code connections}, so the listener can close them all when it stops.
 */
public final class KafkaChannelInitializer extends ChannelInitializer<Channel> {
  private final ApiTable apis;
  private final int maxRequestBytes;
  private final ChannelGroup connections;
  private final Listener listener;
  private final SslContext tls;
  private final KafkaSecurity security;
  private final ScramUsers users;

  /** A PLAINTEXT listener. */
  public KafkaChannelInitializer(ApiTable apis, int maxRequestBytes, ChannelGroup connections) {
    this(apis, maxRequestBytes, connections, Listener.plaintext(0), null, KafkaSecurity.NONE, null);
  }

  /**
   * A connection of {@code listener}; {@code tls} is required for SSL and SASL_SSL listeners, {@code users} for SASL
   * ones.
   */
  public KafkaChannelInitializer(ApiTable apis, int maxRequestBytes, ChannelGroup connections, Listener listener,
      SslContext tls, KafkaSecurity security, ScramUsers users) {
    if (listener.tls() && tls == null) {
      throw new IllegalArgumentException(listener + " needs a TLS context");
    }
    if (listener.sasl() && users == null) {
      throw new IllegalArgumentException(listener + " needs the SCRAM user store");
    }
    this.apis = apis;
    this.maxRequestBytes = maxRequestBytes;
    this.connections = connections;
    this.listener = listener;
    this.tls = tls;
    this.security = security;
    this.users = users;
  }

  @Override
  protected void initChannel(Channel channel) {
    connections.add(channel);
    ChannelPipeline pipeline = channel.pipeline();
    if (listener.tls()) {
      pipeline.addLast("tls", tls.newHandler(channel.alloc()))
          .addLast("tls-principal", new TlsPrincipal(!listener.sasl()));
    }
    pipeline.addLast("frame-decoder", new FrameDecoder(maxRequestBytes))
        .addLast("request-decoder", RequestDecoder.INSTANCE)
        .addLast("response-encoder", ResponseEncoder.INSTANCE);
    if (listener.sasl()) {
      pipeline.addLast("sasl", new SaslAuthenticator(security.saslMechanisms(), users, security.maxReauthMs()));
    }
    pipeline.addLast("dispatcher", new RequestDispatcher(apis));
  }
}
