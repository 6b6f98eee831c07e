package dev.queenj.kafka.api;

import java.util.UUID;
import org.apache.kafka.common.Uuid;

/** Between the core's UUIDs and Kafka's {@link Uuid} (the same 128 bits; Kafka prints them in URL-safe base64). */
public final class Uuids {
  private Uuids() {}

  public static Uuid toKafka(UUID id) {
    return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }

  public static UUID fromKafka(Uuid id) {
    return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
  }
}
