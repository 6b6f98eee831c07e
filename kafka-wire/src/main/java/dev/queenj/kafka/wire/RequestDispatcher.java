package dev.queenj.kafka.wire;

import dev.queenj.kafka.api.ApiTable;
import dev.queenj.kafka.api.KafkaResponse;
import dev.queenj.kafka.api.RequestContext;
import dev.queenj.kafka.api.RequestOrder;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works off a connection's requests and answers them in the order they arrived (the Java client drops a connection
 * whose responses come out of order). Consecutive Produce requests run at once, up to {@link #MAX_PIPELINED}: a
 * producer keeps that many in flight, and waiting for each one's durable commit before reading the next would bound
 * its throughput by one commit per request; their appends still reach storage in request order
 * ({@link RequestOrder}). Any other request runs alone, like on a Kafka broker, so that what one request did is
 * visible to the next. While requests wait, nothing more is read from the socket. Handlers complete on whatever
 * thread storage answered on; answers are written from the connection's event loop. A request the client expects no
 * answer to (Produce with acks=0) is still worked off in order, and nothing is written for it.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
  /** Kafka's default {@code max.in.flight.requests.per.connection}, the most an idempotent producer may use. */
  static final int MAX_PIPELINED = 5;
  private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

  private final ApiTable apis;
  private final RequestOrder order = new RequestOrder();
  private final Deque<KafkaRequest> waiting = new ArrayDeque<>();
  /** Requests being worked off, oldest first: answers leave in this order. */
  private final Deque<Running> running = new ArrayDeque<>();

  private record Running(KafkaRequest request, RequestContext context, CompletableFuture<KafkaResponse> answer) {}

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
    startWhatCan(ctx);
  }

  /** Starts waiting requests while the rules allow, and reads from the socket only when nothing waits. */
  private void startWhatCan(ChannelHandlerContext ctx) {
    while (!waiting.isEmpty() && mayStart(waiting.peek())) {
      start(ctx, waiting.poll());
    }
    ctx.channel().config().setAutoRead(waiting.isEmpty() && running.size() < MAX_PIPELINED);
  }

  private boolean mayStart(KafkaRequest next) {
    if (running.isEmpty()) {
      return true;
    }
    return running.size() < MAX_PIPELINED && pipelined(next)
        && running.stream().allMatch(r -> pipelined(r.request()));
  }

  private static boolean pipelined(KafkaRequest request) {
    return request.header().apiKey() == ApiKeys.PRODUCE;
  }

  private void start(ChannelHandlerContext ctx, KafkaRequest request) {
    RequestContext context = new RequestContext(request.header(), ctx.channel().remoteAddress(), listenerPort(ctx),
        order, ConnectionPrincipal.of(ctx.channel()), apis.acls());
    CompletableFuture<KafkaResponse> answer = apis.dispatch(context, request.body()).toCompletableFuture();
    running.add(new Running(request, context, answer));
    answer.whenCompleteAsync((response, failure) -> answerInOrder(ctx), ctx.executor());
  }

  /** Writes every answer that is ready and not behind an unfinished one, then starts what can start now. */
  private void answerInOrder(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!running.isEmpty() && running.peek().answer().isDone()) {
      Running done = running.poll();
      done.request().release();
      KafkaResponse response;
      try {
        response = done.answer().join();
      } catch (RuntimeException e) {
        LOG.error("{} could not be answered; closing the connection", done.context().describe(), e);
        ctx.close();
        return;
      }
      if (response.answered()) {
        ctx.write(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        wrote = true;
      }
    }
    if (wrote) {
      ctx.flush();
    }
    startWhatCan(ctx);
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
    // running requests are released when their answers complete; nothing is written on a closed channel
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // resets and broken pipes: the peer went away, nothing to answer
    LOG.debug("Kafka connection from {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
