package dev.queenj.server;

import dev.queenj.core.QueenCore;
import dev.queenj.core.acl.AclPolicy;
import dev.queenj.core.acl.AclStore;
import dev.queenj.core.buffer.OutageBuffer;
import dev.queenj.core.buffer.PushBuffer;
import dev.queenj.core.cluster.ClusterMembership;
import dev.queenj.core.crypto.EncryptedQueues;
import dev.queenj.core.crypto.PayloadCipher;
import dev.queenj.core.maintenance.MaintenanceMode;
import dev.queenj.core.notify.AppendNotifications;
import dev.queenj.core.notify.AppendSignal;
import dev.queenj.core.resources.ResourceService;
import dev.queenj.core.retention.RetentionService;
import dev.queenj.core.stats.StatsService;
import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Migrations;
import dev.queenj.core.storage.PlannerStatistics;
import dev.queenj.http.HttpApi;
import dev.queenj.http.auth.HttpAuth;
import dev.queenj.kafka.KafkaListener;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import java.net.BindException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable server: {@link #start()} brings up Postgres (embedded unless configured), migrations, the core, the
 * HTTP API and the Kafka listener on one Vert.x instance whose event loops serve the sockets and Postgres;
 * {@link #close()} stops it gracefully. Tests start it in-process on ephemeral ports.
 */
public final class QueenServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueenServer.class);

  private final QueenConfig config;
  private final int eventLoops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  /** The committed append sizes the batch-size histogram counts up to, its buckets' upper bounds. */
  private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000};
  static final String PUSH_BATCH_MESSAGES = "queen.push.batch.messages";

  private EmbeddedDatabase embedded;
  private PrometheusMeterRegistry registry;
  private ProcessMetrics processMetrics;
  private DataDirLock bufferLock;
  private Vertx vertx;
  private Database database;
  private PlannerStatistics statistics;
  private MaintenanceMode maintenance;
  private PushBuffer pushBuffer;
  private OutageBuffer outage;
  private RetentionService retention;
  private StatsService stats;
  private ResourceService resources;
  private AppendNotifications notifications;
  private AclStore acls;
  private HttpAuth auth;
  private HttpApi http;
  private KafkaListener kafka;
  private ClusterMembership membership;
  private int httpPort;
  private int kafkaPort;
  private String databaseDescription;

  public QueenServer(QueenConfig config) {
    this.config = config;
  }

  /**
   * Completes when every listener accepts connections (HTTP first, then Kafka); fails with {@link StartupException}
   * and a clear reason.
   */
  public CompletionStage<QueenServer> start() {
    CompletableFuture<QueenServer> started = new CompletableFuture<>();
    try {
      String url = config.database().pgUrl();
      if (url == null) {
        embedded = EmbeddedDatabase.start(config.database().dataDir());
        url = embedded.url();
        databaseDescription = "embedded Postgres, data in " + embedded.dataDir();
      } else {
        databaseDescription = "Postgres at " + redacted(url);
      }
      // two servers replaying one buffer would store its pushes twice and out of order
      bufferLock = DataDirLock.acquire(config.buffer().dir(), DataDirLock.Owner.BUFFER_DIR);
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      processMetrics = new ProcessMetrics(registry);
      // Vert.x's metrics SPI, for the Postgres pools only (the SQL client reports its pools through it)
      PostgresPoolMetrics poolMetrics = new PostgresPoolMetrics(registry,
          Math.max(config.database().timeouts().acquireMs(), config.database().timeouts().statementMs()));
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops)
          .setMetricsOptions(new MetricsOptions().setEnabled(true).setFactory(options -> poolMetrics)));
      // bad key material (a short JWT_SECRET, an unreadable JWT_PUBLIC_KEY) refuses to start before Postgres is used
      auth = HttpAuth.create(vertx, config.http().jwt());
      database = Database.connect(vertx, url, config.database().poolSize(), config.database().timeouts());
    } catch (RuntimeException e) {
      closeQuietly();
      started.completeExceptionally(new StartupException(e.getMessage(), e));
      return started;
    }
    Migrations.apply(database)
        .recover(failure -> Future.failedFuture(new StartupException(
            "cannot use " + databaseDescription + ": " + describe(failure), failure)))
        .compose(applied -> EncryptedQueues.requireKey(database, config.encryption())
            .recover(failure -> Future.failedFuture(new StartupException(failure.getMessage(), failure))))
        .onSuccess(ready -> logEncryption(config.encryption()))
        .compose(applied -> {
          maintenance = new MaintenanceMode(vertx, database);
          return maintenance.start().compose(read -> Future.fromCompletionStage(PushBuffer.open(config.buffer().dir(),
              config.buffer().maxBytes(), config.encryption()), vertx.getOrCreateContext()))
              .recover(failure -> Future.failedFuture(new StartupException("cannot open the outage buffer in "
                  + config.buffer().dir() + " (FILE_BUFFER_DIR): " + describe(failure), failure)));
        })
        .compose(opened -> {
          pushBuffer = opened;
          QueenCore core = new QueenCore(database, config.kafka().defaultPartitions(), config.retention(),
              config.encryption());
          retention = core.retention();
          retention.start(vertx);
          stats = core.stats();
          stats.start(vertx, config.stats());
          notifications = core.appendNotifications();
          statistics = new PlannerStatistics(vertx, database);
          statistics.start();
          outage = new OutageBuffer(vertx, core.push(), maintenance, pushBuffer);
          outage.start();
          RetentionMetrics.bind(retention.totals(), registry);
          core.push().onCommittedBatch(DistributionSummary.builder(PUSH_BATCH_MESSAGES)
              .description("messages per committed append (group commit merges concurrent pushes and produces)")
              .baseUnit("messages").serviceLevelObjectives(BATCH_BUCKETS).register(registry)::record);
          Gauge.builder("queen.append.waiters", core.appendSignal(), AppendSignal::waiting)
              .description("parked long-polls and Kafka fetches waiting here for appends").register(registry);
          Gauge.builder("queen.append.notifications.listening", core.appendNotifications(), n -> n.listening() ? 1 : 0)
              .description("1 while this instance listens for other instances' appends (LISTEN), 0 while it "
                  + "falls back to periodic re-checks").register(registry);
          AclPolicy policy = new AclPolicy(config.kafka().authorizer(), core.acls()::snapshot);
          resources = core.resources();
          QueueMetrics queueMetrics = new QueueMetrics(stats, resources, registry, config.stats().metricsQueueSeries());
          http = new HttpApi(vertx, core, outage, config.http(), auth, policy, registry, queueMetrics::refresh);
          membership = new ClusterMembership(vertx, database, config.cluster());
          notifications.sendOnlyWhile(membership::othersLive);
          kafka = new KafkaListener(vertx, core, config.kafka(), membership, new KafkaRequestMetrics(registry));
          Gauge.builder("queen.kafka.fetches.parked", kafka, KafkaListener::fetchesParked)
              .description("Kafka fetches waiting here for records (max_wait_ms and min_bytes above 0)")
              .register(registry);
          Future<Void> aclsRead = Future.succeededFuture();
          if (policy.enabled()) {
            // read before either protocol serves a request: an empty cache would decide wrongly
            acls = core.acls();
            aclsRead = acls.start(vertx);
            LOG.info("Kafka ACLs are enforced on Kafka{} (QUEEN_KAFKA_AUTHORIZER_ENABLED); super users: {}",
                auth != null && auth.enabled() ? " and HTTP" : "", config.kafka().authorizer().superUsers());
          }
          // listening before serving: a waiter parked here from the first request on is woken by the others' appends
          return aclsRead.compose(read -> notifications.start(vertx)).compose(listening -> http.start(eventLoops))
              .recover(failure -> Future.failedFuture(failure instanceof BindException
              ? new StartupException("HTTP port " + config.http().port()
                  + " is already in use (set QUEEN_HTTP_PORT or --http-port)", failure)
              : new StartupException("cannot listen on HTTP port " + config.http().port() + ": "
                  + describe(failure), failure)));
        })
        .compose(port -> {
          httpPort = port;
          return kafka.start().recover(failure -> Future.failedFuture(failure instanceof BindException
              ? new StartupException("a Kafka port of " + config.kafka().listeners()
                  + " is already in use (set QUEEN_KAFKA_PORT or QUEEN_KAFKA_LISTENERS)", failure)
              : failure));
        })
        .compose(port -> {
          kafkaPort = port;
          // listed as a broker only once it accepts Kafka connections
          return membership.join(config.kafka().advertisedHost() + ":" + httpPort, kafka.endpoints())
              .recover(failure -> Future.failedFuture(new StartupException("cannot register this instance: "
                  + describe(failure), failure)));
        })
        .onSuccess(joined -> started.complete(this))
        .onFailure(failure -> {
          // nothing listens, so there is nothing to drain: a later close() must not wait on this API
          http = null;
          StartupException reason = failure instanceof StartupException startup ? startup
              : new StartupException(describe(failure), failure);
          // Cleaning up waits for Vert.x to close, which must not happen on one of its own event loops.
          CompletableFuture.runAsync(this::closeQuietly)
              .whenComplete((closed, error) -> started.completeExceptionally(reason));
        });
    return started;
  }

  private static void logEncryption(PayloadCipher cipher) {
    if (!cipher.enabled()) {
      LOG.info("encryption at rest is off (no QUEEN_ENCRYPTION_KEY): queues cannot have encryptionEnabled");
      return;
    }
    List<Integer> ids = cipher.keyIds();
    LOG.info("encryption at rest: new payloads of encrypted queues are sealed under key {}; {} older key(s) "
        + "still decrypt", PayloadCipher.describe(ids.get(0)), ids.size() - 1);
  }

  public int httpPort() {
    return httpPort;
  }

  public int kafkaPort() {
    return kafkaPort;
  }

  /** The bound port of each Kafka listener, by its security protocol. */
  public Map<SecurityProtocol, Integer> kafkaPorts() {
    return kafka == null ? Map.of() : kafka.ports();
  }

  /** This instance's Kafka node id among the instances on its database (-1 before it started). */
  public int nodeId() {
    return membership == null ? -1 : membership.nodeId();
  }

  /** Where Kafka clients are told to connect: {@code QUEEN_KAFKA_ADVERTISED_HOST} and the bound Kafka port. */
  public String kafkaAddress() {
    return config.kafka().advertisedHost() + ":" + kafkaPort;
  }

  /** Forgets the statistics reads shared for a few seconds (lag, sizes): for tests that empty the database. */
  void forgetRecentReads() {
    if (stats != null) {
      stats.forgetRecentReads();
    }
  }

  /** How many times this instance counted every queue's messages (tests: a scrape within the window counts nothing). */
  long countReads() {
    return resources == null ? 0 : resources.countReads();
  }

  public String databaseDescription() {
    return databaseDescription;
  }

  /**
   * Stops gracefully: close the Kafka listener and its connections (Kafka clients reconnect and retry), then refuse
   * new HTTP requests, answer parked long-polls, let in-flight requests finish (bounded by the shutdown timeout),
   * close the HTTP listener and Postgres, stop the embedded Postgres.
   */
  @Override
  public synchronized void close() {
    if (kafka != null) {
      await(kafka.close());
      kafka = null;
    }
    if (membership != null) {
      await(membership.leave());
      membership = null;
    }
    if (http != null) {
      await(http.drain(config.shutdownTimeoutMs()).compose(drained -> http.close()));
      http = null;
    }
    if (stats != null) {
      // the counts of the last minutes, before the database closes
      await(stats.stop());
      stats = null;
    }
    closeQuietly();
  }

  private void closeQuietly() {
    if (membership != null) {
      await(membership.leave());
      membership = null;
    }
    if (auth != null) {
      auth.close();
      auth = null;
    }
    if (retention != null) {
      retention.stop();
      retention = null;
    }
    if (stats != null) {
      stats.stop();
      stats = null;
    }
    if (notifications != null) {
      await(notifications.stop());
      notifications = null;
    }
    if (acls != null) {
      acls.stop();
      acls = null;
    }
    if (statistics != null) {
      statistics.stop();
      statistics = null;
    }
    // what is still buffered stays on disk and is replayed by the next start
    if (outage != null) {
      outage.stop();
      outage = null;
    }
    if (pushBuffer != null) {
      pushBuffer.close();
      pushBuffer = null;
    }
    if (bufferLock != null) {
      bufferLock.close();
      bufferLock = null;
    }
    if (maintenance != null) {
      maintenance.stop();
      maintenance = null;
    }
    if (database != null) {
      await(database.close());
      database = null;
    }
    if (vertx != null) {
      await(vertx.close());
      vertx = null;
    }
    if (processMetrics != null) {
      processMetrics.close();
      processMetrics = null;
    }
    if (registry != null) {
      registry.close();
      registry = null;
    }
    if (embedded != null) {
      try {
        embedded.close();
      } catch (RuntimeException e) {
        LOG.warn("embedded Postgres did not stop cleanly: {}", e.getMessage());
      }
      embedded = null;
    }
  }

  private void await(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(config.shutdownTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown step did not complete: {}", e.toString());
    }
  }

  private static String describe(Throwable failure) {
    return failure.getMessage() != null ? failure.getMessage() : failure.toString();
  }

  private static String redacted(String url) {
    return url.replaceFirst("//([^:@/]+):[^@/]*@", "//$1:***@");
  }
}
