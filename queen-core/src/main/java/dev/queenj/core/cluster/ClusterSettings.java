package dev.queenj.core.cluster;

/**
 * How an instance takes part in a cluster of instances sharing one database.
 *
 * @param name {@code QUEEN_CLUSTER_NAME}: Kafka clients of an instance are told about the live instances with the
 *     same name only, so that instances with different listeners or security settings on one database (an internal
 *     and a public deployment) do not send each other's clients to each other. Consumer-group leases are shared by
 *     every instance on the database whatever its name: a group has one coordinator
 * @param instanceId {@code QUEEN_INSTANCE_ID}: the name this instance registers under; empty generates one per start.
 *     A restarted instance with the same name gets its Kafka node id back
 * @param heartbeatMs how often the instance renews its registration and the group leases it holds
 * @param expiryMs how long after its last heartbeat an instance counts as gone, and how long a group lease lasts
 *     without renewal; the owner of a lease stops acting for the group {@link #leaseMarginMs()} before that
 */
public record ClusterSettings(String name, String instanceId, int heartbeatMs, int expiryMs) {
  public static final String DEFAULT_NAME = "queen";
  public static final int DEFAULT_HEARTBEAT_MS = 1_000;
  public static final int DEFAULT_EXPIRY_MS = 10_000;
  public static final ClusterSettings DEFAULTS = new ClusterSettings(DEFAULT_NAME, "",
      DEFAULT_HEARTBEAT_MS, DEFAULT_EXPIRY_MS);
  /** Instance ids appear in logs and the registry; anything longer is a mistake. */
  private static final int MAX_ID_LENGTH = 200;

  public ClusterSettings {
    name = name == null ? "" : name.trim();
    if (name.isEmpty() || name.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("QUEEN_CLUSTER_NAME must be 1 to " + MAX_ID_LENGTH + " characters");
    }
    instanceId = instanceId == null ? "" : instanceId.trim();
    if (instanceId.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("QUEEN_INSTANCE_ID must be at most " + MAX_ID_LENGTH + " characters");
    }
    if (heartbeatMs < 10) {
      throw new IllegalArgumentException("QUEEN_INSTANCE_HEARTBEAT_MS must be at least 10, got " + heartbeatMs);
    }
    if (expiryMs < 3 * heartbeatMs) {
      throw new IllegalArgumentException("QUEEN_INSTANCE_EXPIRY_MS must be at least three heartbeats ("
          + 3 * heartbeatMs + " ms), got " + expiryMs);
    }
  }

  /**
   * How long before its lease expires an owner stops acting for a group: two heartbeats, so that one slow renewal
   * does not lose a group, and the owner has stopped well before another instance may take it.
   */
  public int leaseMarginMs() {
    return 2 * heartbeatMs;
  }

  public ClusterSettings withInstanceId(String id) {
    return new ClusterSettings(name, id, heartbeatMs, expiryMs);
  }

  public ClusterSettings withName(String clusterName) {
    return new ClusterSettings(clusterName, instanceId, heartbeatMs, expiryMs);
  }
}
