package dev.queenj.core.acl;

/** What an ACL protects, by Kafka's resource type names. The cluster has one resource, named {@code kafka-cluster}. */
public enum ResourceKind {
  TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID;

  /** Kafka's name of the one cluster resource. */
  public static final String CLUSTER_NAME = "kafka-cluster";
}
