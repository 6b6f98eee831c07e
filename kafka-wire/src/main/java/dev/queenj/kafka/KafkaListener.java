package dev.queenj.kafka;

import dev.queenj.core.QueenCore;
import dev.queenj.core.auth.ScramCredentials;
import dev.queenj.core.cluster.ClusterMembership;
import dev.queenj.core.cluster.Endpoint;
import dev.queenj.core.group.LiveKafkaGroups;
import dev.queenj.kafka.api.ApiLatency;
import dev.queenj.kafka.api.ApiTable;
import dev.queenj.kafka.fetch.ParkedFetches;
import dev.queenj.kafka.group.GroupCoordinator;
import dev.queenj.kafka.metadata.Brokers;
import dev.queenj.kafka.security.Listener;
import dev.queenj.kafka.security.ScramUsers;
import dev.queenj.kafka.wire.KafkaChannelInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka ports: plain Netty servers on Vert.x's own event loops, so Kafka connections, HTTP and Postgres share
 * the same threads. One server per listener ({@code QUEEN_KAFKA_LISTENERS}, by default one PLAINTEXT listener on
 * the Kafka port), each with its security protocol's pipeline. Clients learn where to reconnect from Metadata: the
 * live instances on the database ({@link ClusterMembership}), at the advertised host and port of each instance's
 * listener of the protocol they came in on.
 */
public final class KafkaListener {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaListener.class);
  private static final String ALL_INTERFACES = "0.0.0.0";

  private final Vertx vertx;
  private final QueenCore core;
  private final KafkaConfig config;
  private final ClusterMembership membership;
  private final ApiLatency latency;
  private final Brokers brokers;
  private final GroupCoordinator groups;
  private final ChannelGroup connections = new DefaultChannelGroup("kafka", ImmediateEventExecutor.INSTANCE);
  private final List<Channel> servers = new ArrayList<>();
  private final Map<SecurityProtocol, Integer> ports = new LinkedHashMap<>();
  private boolean aclsStarted;
  private volatile boolean listening;
  private final ParkedFetches parkedFetches = new ParkedFetches();

  public KafkaListener(Vertx vertx, QueenCore core, KafkaConfig config, ClusterMembership membership) {
    this(vertx, core, config, membership, ApiLatency.NONE);
  }

  /** The same, telling {@code latency} how long each Kafka request took to answer. */
  public KafkaListener(Vertx vertx, QueenCore core, KafkaConfig config, ClusterMembership membership,
      ApiLatency latency) {
    this.latency = latency;
    this.vertx = vertx;
    this.core = core;
    this.config = config;
    this.membership = membership;
    this.brokers = new Brokers(membership, config.advertisedHost());
    this.groups = new GroupCoordinator(vertx, core, config.groups(), membership);
  }

  /**
   * Reads the cluster id, creates the configured administrator, then listens, and runs the transaction timeout
   * while listening; answers the first listener's bound port ({@link #ports()} has them all).
   */
  public Future<Integer> start() {
    if (vertx.isNativeTransportEnabled()) {
      // the NIO server channel below cannot join native (epoll/kqueue) event loops
      return Future.failedFuture(new IllegalStateException("the Kafka listener needs Vert.x's NIO transport"));
    }
    ScramUsers users = new ScramUsers(new ScramCredentials(core.database()));
    SslContext tls;
    try {
      tls = config.listeners().stream().anyMatch(Listener::tls) ? config.security().tls().context() : null;
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String admin = config.security().adminUser();
    Future<Void> adminReady = admin.isEmpty() ? Future.succeededFuture()
        : users.ensure(admin, config.security().adminPassword())
            .onSuccess(done -> LOG.info("Kafka user {} has SCRAM-SHA-256 and SCRAM-SHA-512 credentials for the "
                + "configured password (QUEEN_KAFKA_SASL_ADMIN_USER)", admin));
    if (config.authorizer().enabled() && !aclsStarted) {
      aclsStarted = true;
      // the ACLs are in memory before the first request is authorized
      adminReady = adminReady.compose(ready -> core.acls().start(vertx));
    }
    return adminReady.compose(ready -> core.cluster().id()).compose(clusterId -> {
      ApiTable apis = KafkaApis.table(vertx, core, config, clusterId, users, brokers, groups, latency,
          parkedFetches);
      Future<Void> bound = Future.succeededFuture();
      for (Listener listener : config.listeners()) {
        bound = bound.compose(previous -> bind(listener, new KafkaChannelInitializer(apis, config.maxRequestBytes(),
            connections, listener, tls, config.security(), users)));
      }
      return bound.recover(failure -> closeServers().compose(closed -> Future.<Void>failedFuture(failure)));
    }).map(started -> {
      listening = true;
      core.transactionTimeouts().start(vertx, config.transactionCleanupIntervalMs());
      groups.start();
      core.groups().showLiveKafkaGroups(groups);
      return ports.values().iterator().next();
    });
  }

  private Future<Void> bind(Listener listener, KafkaChannelInitializer initializer) {
    EventLoopGroup loops = vertx.nettyEventLoopGroup();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loops, loops)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(initializer);
    Promise<Void> bound = Promise.promise();
    String host = listener.host().isEmpty() ? ALL_INTERFACES : listener.host();
    bootstrap.bind(host, listener.port()).addListener((ChannelFuture done) -> {
      if (done.isSuccess()) {
        synchronized (servers) {
          servers.add(done.channel());
        }
        int port = ((InetSocketAddress) done.channel().localAddress()).getPort();
        ports.put(listener.protocol(), port);
        brokers.listening(listener.protocol().name, port);
        LOG.info("Kafka listener {} on {}:{}", listener.protocol(), host, port);
        bound.complete();
      } else {
        bound.fail(done.cause());
      }
    });
    return bound.future();
  }

  /** Where clients reach each listener, by security protocol name: the advertised host and the bound port. */
  public Map<String, Endpoint> endpoints() {
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    ports.forEach((protocol, port) -> endpoints.put(protocol.name, new Endpoint(config.advertisedHost(), port)));
    return endpoints;
  }

  /** The bound port of each listener, by security protocol (its name), in configuration order. */
  /** Fetch requests waiting here for records now ({@code max_wait_ms} and {@code min_bytes} above 0). */
  public int fetchesParked() {
    return parkedFetches.count();
  }

  public Map<SecurityProtocol, Integer> ports() {
    return Map.copyOf(ports);
  }

  /** Stops accepting, then closes every open Kafka connection; their clients reconnect elsewhere or later. */
  public Future<Void> close() {
    if (aclsStarted) {
      aclsStarted = false;
      core.acls().stop();
    }
    if (!listening) {
      return closeServers();
    }
    listening = false;
    core.groups().showLiveKafkaGroups(LiveKafkaGroups.NONE);
    core.transactionTimeouts().stop();
    return groups.stop().recover(failure -> {
      LOG.warn("the group leases were not released ({}); other instances take the groups once they expire",
          failure.toString());
      return Future.succeededFuture();
    }).compose(released -> closeServers());
  }

  private Future<Void> closeServers() {
    List<Channel> open;
    synchronized (servers) {
      open = new ArrayList<>(servers);
      servers.clear();
    }
    Promise<Void> closed = Promise.promise();
    Future<Void> all = Future.succeededFuture();
    for (Channel server : open) {
      Promise<Void> one = Promise.promise();
      server.close().addListener(stopped -> one.complete());
      all = all.compose(previous -> one.future());
    }
    all.onComplete(stopped -> connections.close().addListener(done -> closed.complete()));
    return closed.future();
  }
}
