package dev.queenj.kafka.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** Frame to {@link KafkaRequest}; a frame that does not parse closes its connection. */
@Sharable
final class RequestDecoder extends MessageToMessageDecoder<ByteBuf> {
  static final RequestDecoder INSTANCE = new RequestDecoder();

  private RequestDecoder() {}

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    if (!ctx.channel().isActive()) {
      return;
    }
    try {
      out.add(KafkaRequest.parse(frame));
    } catch (MalformedRequestException e) {
      Disconnect.because(ctx, e.getMessage());
    }
  }
}
