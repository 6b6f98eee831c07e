package dev.queenj.kafka.metadata;

/**
 * How Kafka clients see this server: the whole cluster is one broker, which is also the controller and leads every
 * partition with the only replica. Several instances sharing a database will each present themselves this way until
 * partition leadership is spread over them.
 */
public final class SingleNode {
  public static final int NODE_ID = 0;
  /** The only leader a partition ever had. */
  public static final int LEADER_EPOCH = 0;

  private SingleNode() {}
}
