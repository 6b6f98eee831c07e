package dev.queenj.core.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The live instances as one instance last read them, and the membership epoch. Every instance reads the same rows,
 * so protocols that name one instance per partition or group compute the same names on every instance.
 *
 * @param self this instance, listed whether or not its row was read back (a test may have emptied the registry)
 * @param live the live instances, by node id
 * @param epoch grows whenever the set of live node ids changes; Kafka clients see it as every partition's leader
 *     epoch, so that they accept a new leader
 */
public record ClusterView(Instance self, List<Instance> live, int epoch) {
  public ClusterView {
    List<Instance> all = new ArrayList<>(live);
    if (all.stream().noneMatch(instance -> instance.nodeId() == self.nodeId())) {
      all.add(self);
    }
    all.sort(Comparator.comparingInt(Instance::nodeId));
    live = List.copyOf(all);
  }

  /** The live instances reachable on this Kafka listener, by node id: the brokers Metadata names. */
  public List<Instance> brokers(String protocol) {
    return live.stream().filter(instance -> instance.kafka(protocol).isPresent()).toList();
  }

  /** The live instance with this instance id. */
  public Optional<Instance> instance(String instanceId) {
    return live.stream().filter(instance -> instance.instanceId().equals(instanceId)).findFirst();
  }

  /** The live instance with this node id. */
  public Optional<Instance> node(int nodeId) {
    return live.stream().filter(instance -> instance.nodeId() == nodeId).findFirst();
  }
}
