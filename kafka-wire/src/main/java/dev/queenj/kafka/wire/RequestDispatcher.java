package dev.queenj.kafka.wire;

import dev.queenj.kafka.api.ApiTable;
import dev.queenj.kafka.api.RequestContext;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a connection's requests one at a time, in the order they arrived, so responses leave in request order
 * (the Java client drops a connection whose responses come out of order). Like a Kafka broker, it reads nothing more
 * from the socket while a request is in flight; requests that arrived in the same read wait here. Handlers complete
 * on whatever thread storage answered on; the answer is written from the connection's own event loop. A request the
 * client expects no answer to (Produce with acks=0) is still worked off in order, and nothing is written for it.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

  private final ApiTable apis;
  private final Queue<KafkaRequest> waiting = new ArrayDeque<>();
  private boolean inFlight;

  RequestDispatcher(ApiTable apis) {
    this.apis = apis;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    KafkaRequest request = (KafkaRequest) message;
    if (!apis.serves(request.header().apiKey())) {
      request.release();
      // Kafka brokers close too: a client only sends what ApiVersions advertised, so this one ignored it.
      Disconnect.because(ctx, request.header().apiKey().name + " v" + request.header().apiVersion() + " from "
          + request.header().clientId() + " is not served here");
      return;
    }
    waiting.add(request);
    answerNext(ctx);
  }

  private void answerNext(ChannelHandlerContext ctx) {
    if (inFlight) {
      return;
    }
    KafkaRequest request = waiting.poll();
    if (request == null) {
      ctx.channel().config().setAutoRead(true);
      return;
    }
    inFlight = true;
    ctx.channel().config().setAutoRead(false);
    RequestContext context = new RequestContext(request.header(), ctx.channel().remoteAddress(), listenerPort(ctx));
    apis.dispatch(context, request.body()).whenCompleteAsync((response, failure) -> {
      request.release();
      inFlight = false;
      if (failure != null) {
        LOG.error("{} could not be answered; closing the connection", context.describe(), failure);
        ctx.close();
        return;
      }
      if (response.answered()) {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      }
      answerNext(ctx);
    }, ctx.executor());
  }

  private static int listenerPort(ChannelHandlerContext ctx) {
    return ctx.channel().localAddress() instanceof InetSocketAddress local ? local.getPort() : 0;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    KafkaRequest request;
    while ((request = waiting.poll()) != null) {
      request.release();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // resets and broken pipes: the peer went away, nothing to answer
    LOG.debug("Kafka connection from {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
