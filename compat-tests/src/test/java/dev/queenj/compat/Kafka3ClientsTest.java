package dev.queenj.compat;

/** The client suite on kafka-clients 3.x (the {@code kafka-clients-3} execution, which swaps the client jar). */
class Kafka3ClientsTest extends ClientCompatSuite {
  @Override
  protected String expectedClientVersion() {
    return System.getProperty("queen.compat.kafka3.version");
  }
}
