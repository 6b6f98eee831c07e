package dev.queenj.kafka.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closing a connection that sent something we will not read: only that connection goes, with one log line that
 * says why, so a client speaking a newer protocol or a stray HTTP request can be diagnosed.
 */
final class Disconnect {
  private static final Logger LOG = LoggerFactory.getLogger(Disconnect.class);

  private Disconnect() {}

  static void because(ChannelHandlerContext ctx, String reason) {
    if (ctx.channel().isActive()) {
      LOG.warn("closing Kafka connection from {}: {}", ctx.channel().remoteAddress(), reason);
      ctx.close();
    }
  }

  /** Whether the connection is already closing; what is still buffered for it is dropped. */
  static boolean closed(ChannelHandlerContext ctx, ByteBuf buffered) {
    if (ctx.channel().isActive()) {
      return false;
    }
    buffered.skipBytes(buffered.readableBytes());
    return true;
  }
}
