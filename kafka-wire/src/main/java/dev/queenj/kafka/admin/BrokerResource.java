package dev.queenj.kafka.admin;

import java.util.function.IntSupplier;
import org.apache.kafka.common.errors.InvalidRequestException;

/**
 * The broker config resource a request may name on this instance, as on a Kafka broker: its own node id, or the empty
 * name of the cluster-wide default. With several instances the node id is this instance's registry id, not 0.
 */
final class BrokerResource {
  private static final String DEFAULT_BROKER = "";

  private final IntSupplier self;

  BrokerResource(IntSupplier self) {
    this.self = self;
  }

  /** Refuses a broker resource that is not this instance (an admin client sends it to the broker it names). */
  void check(String name) {
    String own = String.valueOf(self.getAsInt());
    if (!own.equals(name) && !DEFAULT_BROKER.equals(name)) {
      throw new InvalidRequestException("Unexpected broker id, expected " + own + " or empty string, but received "
          + name);
    }
  }

  /** This instance's node id, as a resource name. */
  String name() {
    return String.valueOf(self.getAsInt());
  }
}
