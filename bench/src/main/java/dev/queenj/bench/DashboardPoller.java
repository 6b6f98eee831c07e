package dev.queenj.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What an open dashboard does to the server while the native workloads run ({@code BENCH_DASHBOARD_POLL=<ms>}): the
 * overview's refresh of app.js, the four calls it sends at once ({@code /status}, {@code /status/analytics},
 * {@code /status/queues}, {@code /resources/queues}), then, once all four answered, the next refresh {@code intervalMs}
 * later (app.js waits 5,000 ms; a shorter interval stands for several dashboards open at once). Over its own
 * keep-alive connections, one per call, as a browser holds its own. A poll is timed from its first request to its last answer.
 */
final class DashboardPoller {
  static final List<String> OVERVIEW_CALLS = List.of("/api/v1/status", "/api/v1/status/analytics",
      "/api/v1/status/queues", "/api/v1/resources/queues");
  /** A call still unanswered after this fails its poll; the poller goes on with the next. */
  static final long CALL_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final HttpClient http;
  private final long intervalMs;
  private final NativeBench.Stats polls = new NativeBench.Stats();
  private volatile boolean stopped;
  private volatile long timer = -1;

  DashboardPoller(Vertx vertx, String httpBase, long intervalMs) {
    this.vertx = vertx;
    this.intervalMs = intervalMs;
    URI base = URI.create(httpBase);
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost())
        .setDefaultPort(base.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(OVERVIEW_CALLS.size()));
  }

  /** The interval from {@code BENCH_DASHBOARD_POLL}: null when unset or empty (no polling). */
  static Long intervalFromEnvironment() {
    String value = System.getenv("BENCH_DASHBOARD_POLL");
    if (value == null || value.isBlank()) {
      return null;
    }
    long ms;
    try {
      ms = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("BENCH_DASHBOARD_POLL must be milliseconds, got '" + value + "'");
    }
    if (ms < 100 || ms > 600_000) {
      throw new IllegalArgumentException("BENCH_DASHBOARD_POLL must be between 100 and 600000 ms, got " + ms);
    }
    return ms;
  }

  void start() {
    vertx.runOnContext(v -> poll());
  }

  private void poll() {
    if (stopped) {
      return;
    }
    long t0 = System.nanoTime();
    Future.all(OVERVIEW_CALLS.stream().map(this::get).toList()).onComplete(done -> {
      if (done.succeeded()) {
        polls.add(System.nanoTime() - t0, 1);
      } else {
        synchronized (polls) {
          polls.errors++;
          if (polls.firstError == null) {
            polls.firstError = String.valueOf(done.cause());
          }
        }
      }
      if (!stopped) {
        timer = vertx.setTimer(intervalMs, id -> poll());
      }
    });
  }

  private Future<Void> get(String uri) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(uri).setIdleTimeout(CALL_TIMEOUT_MS))
        .compose(req -> req.send()).compose(resp -> resp.body().map(body -> {
          if (resp.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " -> " + resp.statusCode() + " " + body);
          }
          return null;
        }));
  }

  /** Stops polling (a poll under way is not counted) and prints its rows: polls, failed polls, p50 and p99. */
  void stopAndReport() throws Exception {
    stopped = true;
    vertx.cancelTimer(timer);
    http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    String name = "dashboard overview polled every " + intervalMs + " ms during the native workloads";
    NativeBench.row("queen", name + ": polls", polls.count, "polls");
    NativeBench.row("queen", name + ": failed polls", polls.errors, "polls");
    NativeBench.row("queen", name + ": poll p50 (ms)", polls.p(0.50), "ms");
    NativeBench.row("queen", name + ": poll p99 (ms)", polls.p(0.99), "ms");
    if (polls.firstError != null) {
      System.err.println(String.format(Locale.ROOT, "dashboard poller: first error %s", polls.firstError));
    }
  }
}
