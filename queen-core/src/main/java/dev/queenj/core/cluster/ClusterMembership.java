package dev.queenj.core.cluster;

import dev.queenj.core.storage.Database;
import dev.queenj.core.storage.Sql;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's registration in the instance registry ({@code queen_instances}): {@link #join} registers it (and
 * its Kafka node id), a heartbeat every {@code heartbeatMs} renews it and re-reads the live instances, and
 * {@link #leave} marks it gone on a clean stop. An instance whose heartbeat stops is gone for everyone
 * {@code expiryMs} later. A row that disappears (a test emptied the registry) is registered again by the next
 * heartbeat.
 *
 * <p>Two live processes cannot share an instance id: a process finding its id held by another live incarnation waits
 * until that registration expires (an instance restarted after kill -9 waits out the old one's expiry), and refuses
 * to start if it does not.
 */
public final class ClusterMembership {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
  /** Serializes registrations, so that two instances starting at once do not pick the same node id. */
  private static final long REGISTRATION_LOCK = 0x717565656e2d69L;
  private static final String REGISTER = Sql.load(ClusterMembership.class, "instance_register.sql");
  private static final String PRUNE = Sql.load(ClusterMembership.class, "instance_prune.sql");
  private static final String HEARTBEAT = Sql.load(ClusterMembership.class, "instance_heartbeat.sql");
  private static final String DEREGISTER = Sql.load(ClusterMembership.class, "instance_deregister.sql");
  private static final String LIVE = Sql.load(ClusterMembership.class, "instance_live.sql");

  private final Vertx vertx;
  private final Database database;
  private final ClusterSettings settings;
  private final String instanceId;
  private final UUID incarnation = UUID.randomUUID();
  private final Promise<ClusterView> joined = Promise.promise();
  private volatile ClusterView view;
  private String httpAddress;
  private Map<String, Endpoint> kafka;
  private long timer = -1;
  private boolean beating;

  /** Live instances on the database at the last heartbeat, whatever their cluster names (this one included). */
  private volatile int liveOnDatabase;

  public ClusterMembership(Vertx vertx, Database database, ClusterSettings settings) {
    this.vertx = vertx;
    this.database = database;
    this.settings = settings;
    this.instanceId = settings.instanceId().isEmpty() ? generatedId() : settings.instanceId();
  }

  private static String generatedId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "queen";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public ClusterSettings settings() {
    return settings;
  }

  public String instanceId() {
    return instanceId;
  }

  /**
   * Registers this instance with its HTTP address and advertised Kafka endpoints (by security protocol name), reads
   * the live instances and starts the heartbeat. Completes with the first view.
   */
  public Future<ClusterView> join(String httpAddress, Map<String, Endpoint> kafka) {
    this.httpAddress = httpAddress;
    this.kafka = new LinkedHashMap<>(kafka);
    long deadline = System.nanoTime() + (settings.expiryMs() + 2L * settings.heartbeatMs()) * 1_000_000L;
    return registerUntil(deadline).compose(this::refresh).onSuccess(first -> {
      LOG.info("instance {} is Kafka node {} of cluster {}; {} live instance(s): {}", instanceId,
          first.self().nodeId(), settings.name(), first.live().size(),
          first.live().stream().map(Instance::instanceId).toList());
      timer = vertx.setPeriodic(settings.heartbeatMs(), id -> beat());
      joined.tryComplete(first);
    }).onFailure(joined::tryFail);
  }

  /** Completes with the current view once this instance joined. */
  public Future<ClusterView> view() {
    ClusterView current = view;
    return current != null ? Future.succeededFuture(current) : joined.future();
  }

  /** The current view; null before {@link #join} completed. */
  public ClusterView current() {
    return view;
  }

  /** This instance's Kafka node id, or -1 before it joined. */
  public int nodeId() {
    ClusterView current = view;
    return current == null ? -1 : current.self().nodeId();
  }

  /** Stops the heartbeat without deregistering: what a process that died leaves behind. */
  void stopHeartbeat() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Stops the heartbeat and marks the registration expired, so that no other instance lists this one any more. */
  public Future<Void> leave() {
    stopHeartbeat();
    if (view == null) {
      return Future.succeededFuture();
    }
    return database.pool().preparedQuery(DEREGISTER).execute(Tuple.of(instanceId, incarnation)).mapEmpty();
  }

  private Future<Integer> registerUntil(long deadline) {
    return register().compose(node -> {
      if (node != null) {
        return Future.succeededFuture(node);
      }
      if (System.nanoTime() > deadline) {
        return Future.failedFuture(new IllegalStateException("instance id " + instanceId + " is held by another "
            + "live instance (QUEEN_INSTANCE_ID must differ between instances sharing a database)"));
      }
      LOG.info("instance id {} is still registered by an earlier process; waiting for its registration to expire",
          instanceId);
      Promise<Integer> later = Promise.promise();
      vertx.setTimer(settings.heartbeatMs(), id -> registerUntil(deadline).onComplete(later));
      return later.future();
    });
  }

  /** The node id, or null while another live incarnation holds the instance id. */
  private Future<Integer> register() {
    List<String> protocols = new ArrayList<>(kafka.keySet());
    String[] hosts = protocols.stream().map(protocol -> kafka.get(protocol).host()).toArray(String[]::new);
    Integer[] ports = protocols.stream().map(protocol -> kafka.get(protocol).port()).toArray(Integer[]::new);
    return database.inTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1)")
        .execute(Tuple.of(REGISTRATION_LOCK))
        .compose(locked -> tx.preparedQuery(PRUNE).execute(Tuple.of(instanceId)))
        .compose(pruned -> tx.preparedQuery(REGISTER).execute(Tuple.from(List.of(instanceId, incarnation,
            httpAddress, protocols.toArray(new String[0]), settings.expiryMs(), settings.name(), hosts, ports,
            !settings.instanceId().isEmpty()))))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("node_id")));
  }

  private void beat() {
    if (beating) {
      return; // the previous heartbeat is still waiting for Postgres
    }
    beating = true;
    database.pool().preparedQuery(HEARTBEAT).execute(Tuple.of(instanceId, incarnation, settings.expiryMs()))
        .compose(rows -> {
          if (rows.size() > 0) {
            return Future.succeededFuture(rows.iterator().next().getInteger("node_id"));
          }
          LOG.warn("instance {} found its registration gone; registering again", instanceId);
          return register().compose(node -> node != null ? Future.succeededFuture(node)
              : Future.failedFuture("instance id " + instanceId + " was taken by another process"));
        })
        .compose(this::refresh)
        .onFailure(failure -> LOG.warn("instance heartbeat failed: {}", failure.toString()))
        .onComplete(done -> beating = false);
  }

  private Future<ClusterView> refresh(int nodeId) {
    return database.pool().query(LIVE).execute().map(rows -> {
      ClusterView next = view(nodeId, rows);
      ClusterView previous = view;
      if (previous != null && previous.epoch() != next.epoch()) {
        LOG.info("live instances changed (epoch {}): nodes {}", next.epoch(),
            next.live().stream().map(Instance::nodeId).toList());
      }
      view = next;
      return next;
    });
  }

  private ClusterView view(int nodeId, RowSet<Row> rows) {
    List<Instance> live = new ArrayList<>();
    int epoch = 0;
    int onDatabase = 0;
    for (Row row : rows) {
      epoch = row.getInteger("epoch");
      if (row.getInteger("node_id") != null) {
        onDatabase++;
      }
      if (row.getInteger("node_id") == null || !settings.name().equals(row.getString("cluster_name"))) {
        continue; // no instance is live, or this one is of another cluster name
      }
      Map<String, Endpoint> endpoints = new LinkedHashMap<>();
      String[] protocols = row.getArrayOfStrings("kafka_protocols");
      String[] hosts = row.getArrayOfStrings("kafka_hosts");
      Integer[] ports = row.getArrayOfIntegers("kafka_ports");
      for (int i = 0; i < protocols.length; i++) {
        endpoints.put(protocols[i], new Endpoint(hosts[i], ports[i]));
      }
      live.add(new Instance(row.getInteger("node_id"), row.getString("instance_id"), row.getString("http_address"),
          endpoints));
    }
    liveOnDatabase = onDatabase;
    return new ClusterView(new Instance(nodeId, instanceId, httpAddress, kafka), live, epoch);
  }

  /**
   * Whether another instance, of any cluster name, was live on the database at the last heartbeat (true until this
   * one joined): only then are there waiters elsewhere for this instance's appends to wake.
   */
  public boolean othersLive() {
    return view == null || liveOnDatabase > 1;
  }
}
