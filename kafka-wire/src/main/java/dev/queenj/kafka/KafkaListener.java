package dev.queenj.kafka;

import dev.queenj.core.QueenCore;
import dev.queenj.kafka.wire.KafkaChannelInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;

/**
 * The Kafka port: a plain Netty server on Vert.x's own event loops, so Kafka connections, HTTP and Postgres share
 * the same threads. Binds all interfaces; clients learn where to reconnect from Metadata (the advertised host).
 */
public final class KafkaListener {
  private static final String ALL_INTERFACES = "0.0.0.0";

  private final Vertx vertx;
  private final QueenCore core;
  private final KafkaConfig config;
  private final ChannelGroup connections = new DefaultChannelGroup("kafka", ImmediateEventExecutor.INSTANCE);
  private volatile Channel server;

  public KafkaListener(Vertx vertx, QueenCore core, KafkaConfig config) {
    this.vertx = vertx;
    this.core = core;
    this.config = config;
  }

  /** Reads the cluster id, then listens, and runs the transaction timeout while listening; answers the bound port. */
  public Future<Integer> start() {
    if (vertx.isNativeTransportEnabled()) {
      // the NIO server channel below cannot join native (epoll/kqueue) event loops
      return Future.failedFuture(new IllegalStateException("the Kafka listener needs Vert.x's NIO transport"));
    }
    Future<Void> acls = config.authorizer().enabled() ? core.acls().start(vertx) : Future.succeededFuture();
    return acls.compose(read -> core.cluster().id()).compose(clusterId -> {
      EventLoopGroup loops = vertx.nettyEventLoopGroup();
      ServerBootstrap bootstrap = new ServerBootstrap()
          .group(loops, loops)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childOption(ChannelOption.SO_KEEPALIVE, true)
          .childHandler(new KafkaChannelInitializer(KafkaApis.table(vertx, core, config, clusterId),
              config.maxRequestBytes(), connections));
      Promise<Integer> bound = Promise.promise();
      bootstrap.bind(ALL_INTERFACES, config.port()).addListener((ChannelFuture done) -> {
        if (done.isSuccess()) {
          server = done.channel();
          core.transactionTimeouts().start(vertx, config.transactionCleanupIntervalMs());
          bound.complete(((InetSocketAddress) server.localAddress()).getPort());
        } else {
          bound.fail(done.cause());
        }
      });
      return bound.future();
    });
  }

  /** Stops accepting, then closes every open Kafka connection; their clients reconnect elsewhere or later. */
  public Future<Void> close() {
    Channel listening = server;
    if (listening == null) {
      return Future.succeededFuture();
    }
    server = null;
    core.transactionTimeouts().stop();
    if (config.authorizer().enabled()) {
      core.acls().stop();
    }
    Promise<Void> closed = Promise.promise();
    listening.close().addListener(stopped -> connections.close().addListener(all -> closed.complete()));
    return closed.future();
  }
}
