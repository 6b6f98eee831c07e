package dev.queenj.http;

import dev.queenj.core.QueenCore;
import dev.queenj.core.acl.AclPolicy;
import dev.queenj.core.buffer.OutageBuffer;
import dev.queenj.http.ack.AckRoutes;
import dev.queenj.http.auth.HttpAuth;
import dev.queenj.http.dashboard.DashboardRoutes;
import dev.queenj.http.auth.RouteAcls;
import dev.queenj.http.auth.RouteRoles;
import dev.queenj.http.dlq.DeadLetterRoutes;
import dev.queenj.http.group.ConsumerGroupRoutes;
import dev.queenj.http.lease.LeaseRoutes;
import dev.queenj.http.message.MessageRoutes;
import dev.queenj.http.pop.ParkedPolls;
import dev.queenj.http.pop.PopRoutes;
import dev.queenj.http.push.PushRoutes;
import dev.queenj.http.queue.ConfigureRoutes;
import dev.queenj.http.resources.ResourceRoutes;
import dev.queenj.http.status.StatusRoutes;
import dev.queenj.http.system.MaintenanceRoutes;
import dev.queenj.http.streams.StreamRoutes;
import dev.queenj.http.system.SystemRoutes;
import dev.queenj.http.trace.TraceRoutes;
import dev.queenj.http.transaction.TransactionRoutes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The native HTTP API: one router over the core services, served by one HTTP server per event loop on a shared
 * port. Shutdown is graceful: new requests get 503, parked long-polls get their empty answer, in-flight requests
 * finish, then the sockets close.
 */
public final class HttpApi {
  private final Vertx vertx;
  private final HttpConfig config;
  private final ParkedPolls parked;
  private final Router router;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final RouteLatency latency;
  private final long deadlineMs;
  private volatile boolean closing;

  /**
   * {@code outage} takes the pushes Postgres cannot take right now, and holds the maintenance switches; {@code auth}
   * guards every route as {@link RouteRoles} says (made from {@code config.jwt()}; its owner closes it).
   */
  public HttpApi(Vertx vertx, QueenCore core, OutageBuffer outage, HttpConfig config, HttpAuth auth,
      PrometheusMeterRegistry registry) {
    this(vertx, core, outage, config, auth, AclPolicy.DISABLED, registry, Future::succeededFuture);
  }

  /**
   * The same, with Kafka's ACLs checked on the routes naming a queue or group ({@link RouteAcls}) when JWT is on;
   * {@code beforeScrape} brings meters read from the database up to date before the metrics routes answer.
   */
  public HttpApi(Vertx vertx, QueenCore core, OutageBuffer outage, HttpConfig config, HttpAuth auth, AclPolicy acls,
      PrometheusMeterRegistry registry, Supplier<Future<Void>> beforeScrape) {
    this.vertx = vertx;
    this.config = config;
    this.deadlineMs = core.database().timeouts().statementMs();
    this.parked = new ParkedPolls(vertx, core.pop(), core.appendSignal());
    HttpMetrics metrics = new HttpMetrics(registry);
    this.latency = new RouteLatency(registry);
    Gauge.builder("queen.http.long.polls.parked", parked, ParkedPolls::size).register(registry);
    Gauge.builder("queen.buffer.messages", outage.files(), files -> files.items())
        .description("pushes in this instance's outage buffer, not yet replayed").register(registry);
    Gauge.builder("queen.buffer.bytes", outage.files(), files -> files.bytes())
        .description("bytes of this instance's outage buffer not yet replayed").register(registry);
    this.router = Router.router(vertx);
    router.route().handler(this::admit);
    // roles first: a caller who may not use a route is refused before its body is read; ACLs read the body
    List<Route> guards = new ArrayList<>(RouteRoles.guard(router, auth));
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    guards.addAll(RouteAcls.guard(router, auth, acls));
    new SystemRoutes(core.database(), registry, beforeScrape).mount(router);
    new ConfigureRoutes(core.queues()).mount(router);
    new MaintenanceRoutes(outage).mount(router);
    new PushRoutes(outage, metrics).mount(router);
    new PopRoutes(core.pop(), parked, config, metrics, outage.maintenance()).mount(router);
    new AckRoutes(core.ack(), metrics).mount(router);
    new TransactionRoutes(core.transactions()).mount(router);
    new LeaseRoutes(core.leases()).mount(router);
    new ResourceRoutes(core.resources(), core.queues()).mount(router);
    new ConsumerGroupRoutes(core.groups()).mount(router);
    new DeadLetterRoutes(core.deadLetters()).mount(router);
    new MessageRoutes(core.messages()).mount(router);
    new TraceRoutes(core.traces()).mount(router);
    new StatusRoutes(core.stats(), core.messages()).mount(router);
    new StreamRoutes(core, metrics).mount(router);
    new DashboardRoutes().mount(router);
    RouteRoles.checkComplete(router, guards);
    router.route().failureHandler(HttpErrors::handle);
    for (int status : new int[] {400, 404, 405, 413, 500}) {
      router.errorHandler(status, ctx -> HttpErrors.send(ctx, status, HttpErrors.messageForStatus(status)));
    }
  }

  /** Counts the request as in flight, adds CORS headers, answers preflights and refuses work while stopping. */
  private void admit(RoutingContext ctx) {
    cors(ctx.response());
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      ctx.response().setStatusCode(204).end();
      return;
    }
    if (closing) {
      HttpErrors.send(ctx, 503, "Server is shutting down");
      return;
    }
    inFlight.incrementAndGet();
    long started = System.nanoTime();
    ctx.addEndHandler(done -> {
      inFlight.decrementAndGet();
      latency.record(ctx, started);
    });
    RequestDeadline.start(vertx, ctx, deadlineMs);
    ctx.next();
  }

  /** Spec §2: every answer, errors included, may be read by a browser page from any origin. */
  static void cors(HttpServerResponse response) {
    response.putHeader("Access-Control-Allow-Origin", "*")
        .putHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
        .putHeader("Access-Control-Allow-Headers", "Content-Type, Authorization");
  }

  /**
   * Starts listening, with one server per event loop: a server's connections are served by the event loop of the
   * context that created it, so servers created from one context would put every client on one thread. Answers the
   * bound port.
   */
  public Future<Integer> start(int eventLoops) {
    int instances = config.port() == 0 ? 1 : Math.max(1, eventLoops);
    AtomicInteger bound = new AtomicInteger(config.port());
    Supplier<Verticle> listener = () -> new AbstractVerticle() {
      @Override
      public void start(Promise<Void> started) {
        HttpServer server = vertx.createHttpServer();
        servers.add(server);
        server.requestHandler(router).invalidRequestHandler(HttpErrors::invalidRequest)
            .listen(config.port(), "0.0.0.0")
            .onSuccess(listening -> bound.set(listening.actualPort()))
            .<Void>mapEmpty()
            .onComplete(started);
      }
    };
    return vertx.deployVerticle(listener, new DeploymentOptions().setInstances(instances)).map(id -> bound.get());
  }

  /** Refuses new requests, answers parked long-polls, and completes once in-flight requests have finished. */
  public Future<Void> drain(long timeoutMs) {
    closing = true;
    parked.releaseAll();
    Promise<Void> drained = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    vertx.setPeriodic(10, id -> {
      if (inFlight.get() == 0 || System.currentTimeMillis() > deadline) {
        vertx.cancelTimer(id);
        drained.tryComplete();
      }
    });
    return drained.future();
  }

  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    servers.forEach(server -> closing.add(server.close()));
    return Future.all(closing).mapEmpty();
  }
}
