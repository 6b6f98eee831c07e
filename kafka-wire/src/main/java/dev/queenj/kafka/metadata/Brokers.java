package dev.queenj.kafka.metadata;

import dev.queenj.core.cluster.ClusterMembership;
import dev.queenj.core.cluster.ClusterView;
import dev.queenj.core.cluster.Instance;
import dev.queenj.kafka.api.RequestContext;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live instances as Kafka brokers, seen from the listener a request came in on: a client that reached us on our
 * SASL_SSL port is told the other instances' SASL_SSL endpoints, since the same client settings must work on all of
 * them. An instance without that listener is not a broker for the client.
 *
 * <p>Leadership is spread over the brokers ({@link #leader}); every instance serves every partition from
 * Postgres, so a client that sends a partition's Produce or Fetch to another instance than its leader (with stale
 * metadata, while the live instances change) is served all the same rather than sent away with
 * NOT_LEADER_OR_FOLLOWER: the answer is the same from any instance.
 */
public final class Brokers {
  private final ClusterMembership membership;
  private final String advertisedHost;
  /** Bound port → security protocol name of this instance's listeners. */
  private final Map<Integer, String> listeners = new ConcurrentHashMap<>();

  public Brokers(ClusterMembership membership, String advertisedHost) {
    this.membership = membership;
    this.advertisedHost = advertisedHost;
  }

  /** Records that the listener of this security protocol is bound to {@code port}. */
  public void listening(String protocol, int port) {
    listeners.put(port, protocol);
  }

  /** The current view, once this instance joined the registry. */
  public Future<ClusterView> view() {
    return membership.view();
  }

  /** This instance's node id (-1 before it joined). */
  public int self() {
    return membership.nodeId();
  }

  /**
   * The brokers a client on this request's listener may use, by node id. Off a known listener (a test's embedded
   * channel) only this instance, at the port the request names.
   */
  public List<Broker> on(ClusterView view, RequestContext context) {
    String protocol = listeners.get(context.listenerPort());
    if (protocol == null) {
      return List.of(new Broker(view.self().nodeId(), advertisedHost, context.listenerPort()));
    }
    return view.brokers(protocol).stream().map(instance -> broker(instance, protocol)).toList();
  }

  /** The broker {@code nodeId} on this request's listener, if it is live and has that listener. */
  public Broker node(ClusterView view, RequestContext context, int nodeId) {
    return on(view, context).stream().filter(broker -> broker.nodeId() == nodeId).findFirst().orElse(null);
  }

  private static Broker broker(Instance instance, String protocol) {
    var endpoint = instance.kafka(protocol).orElseThrow();
    return new Broker(instance.nodeId(), endpoint.host(), endpoint.port());
  }

  /**
   * The leader of a partition among {@code brokers}: consecutive partitions of a topic go to consecutive brokers,
   * from a start that depends on the topic, so every instance leads its share of every topic. Every instance reads
   * the same live instances, so every instance names the same leader.
   */
  public static Broker leader(List<Broker> brokers, String topic, int partition) {
    return brokers.get(Math.floorMod(topic.hashCode() + partition, brokers.size()));
  }
}
