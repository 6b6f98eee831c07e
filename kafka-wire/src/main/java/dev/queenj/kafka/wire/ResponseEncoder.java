package dev.queenj.kafka.wire;

import dev.queenj.kafka.api.KafkaResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * {@link KafkaResponse} to a frame: int32 size, response header, body. Sized and written by kafka-clients with one
 * serialization cache, straight into one buffer of exactly the right size.
 */
@Sharable
final class ResponseEncoder extends MessageToMessageEncoder<KafkaResponse> {
  static final ResponseEncoder INSTANCE = new ResponseEncoder();
  private static final int SIZE_BYTES = Integer.BYTES;

  private ResponseEncoder() {}

  @Override
  protected void encode(ChannelHandlerContext ctx, KafkaResponse response, List<Object> out) {
    ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(response.correlationId());
    short headerVersion = response.apiKey().responseHeaderVersion(response.version());
    ObjectSerializationCache cache = new ObjectSerializationCache();
    MessageSizeAccumulator size = new MessageSizeAccumulator();
    header.addSize(size, cache, headerVersion);
    response.body().addSize(size, cache, response.version());
    int total = size.totalSize();

    ByteBuf frame = ctx.alloc().buffer(SIZE_BYTES + total);
    try {
      frame.writeInt(total);
      ByteBuffer content = frame.nioBuffer(SIZE_BYTES, total);
      ByteBufferAccessor writer = new ByteBufferAccessor(content);
      header.write(writer, cache, headerVersion);
      response.body().write(writer, cache, response.version());
      if (content.hasRemaining()) {
        throw new IllegalStateException(response.apiKey().name + " v" + response.version() + " wrote "
            + content.position() + " of the " + total + " bytes it announced");
      }
      frame.writerIndex(SIZE_BYTES + total);
      out.add(frame);
    } catch (RuntimeException e) {
      frame.release();
      throw e;
    }
  }
}
