package dev.queenj.kafka.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into request frames: an int32 size, then that many bytes. A size that is negative or above
 * the cap closes the connection as soon as the four size bytes arrived, before any of the frame is buffered.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  private static final int SIZE_BYTES = Integer.BYTES;
  private final int maxRequestBytes;

  FrameDecoder(int maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (Disconnect.closed(ctx, in) || in.readableBytes() < SIZE_BYTES) {
      return;
    }
    int size = in.getInt(in.readerIndex());
    if (size < 0 || size > maxRequestBytes) {
      in.skipBytes(in.readableBytes());
      Disconnect.because(ctx, "request size " + size + " is outside 0.." + maxRequestBytes);
      return;
    }
    if (in.readableBytes() < SIZE_BYTES + size) {
      return;
    }
    in.skipBytes(SIZE_BYTES);
    out.add(in.readRetainedSlice(size));
  }
}
