package dev.queenj.core.cluster;

import java.util.Map;
import java.util.Optional;

/**
 * One live instance as the registry lists it.
 *
 * @param nodeId its Kafka broker id, small and stable for its instance id
 * @param instanceId {@code QUEEN_INSTANCE_ID} or the generated name
 * @param httpAddress where its native HTTP API listens ({@code host:port})
 * @param kafka the advertised endpoint of each Kafka listener, by security protocol name ({@code PLAINTEXT}, ...)
 */
public record Instance(int nodeId, String instanceId, String httpAddress, Map<String, Endpoint> kafka) {
  public Instance {
    kafka = Map.copyOf(kafka);
  }

  /** Its endpoint for the listener with this security protocol, if it has one. */
  public Optional<Endpoint> kafka(String protocol) {
    return Optional.ofNullable(kafka.get(protocol));
  }
}
