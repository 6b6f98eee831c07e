package dev.queenj.kafka.wire;

import dev.queenj.kafka.api.ApiTable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;

/**
 * The whole pipeline of a Kafka connection, in one place:
 *
 * <pre>
 *   bytes → frame-decoder → request-decoder → dispatcher → response-encoder → bytes
 * </pre>
 *
 * Every open connection joins {@code connections}, so the listener can close them all when it stops.
 */
public final class KafkaChannelInitializer extends ChannelInitializer<Channel> {
  private final ApiTable apis;
  private final int maxRequestBytes;
  private final ChannelGroup connections;

  public KafkaChannelInitializer(ApiTable apis, int maxRequestBytes, ChannelGroup connections) {
    this.apis = apis;
    this.maxRequestBytes = maxRequestBytes;
    this.connections = connections;
  }

  @Override
  protected void initChannel(Channel channel) {
    connections.add(channel);
    channel.pipeline()
        .addLast("frame-decoder", new FrameDecoder(maxRequestBytes))
        .addLast("request-decoder", RequestDecoder.INSTANCE)
        .addLast("response-encoder", ResponseEncoder.INSTANCE)
        .addLast("dispatcher", new RequestDispatcher(apis));
  }
}
