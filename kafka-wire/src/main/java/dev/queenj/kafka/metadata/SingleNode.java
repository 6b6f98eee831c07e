package dev.queenj.kafka.metadata;

/**
 * The broker id the admin APIs still treat as the only one: broker-level configs (DescribeConfigs, alterations) and
 * replica assignments name node 0. Metadata, DescribeCluster and FindCoordinator list the live instances instead
 * ({@link Brokers}); moving these admin APIs to the live node ids is still to be done.
 */
public final class SingleNode {
  public static final int NODE_ID = 0;

  private SingleNode() {}
}
