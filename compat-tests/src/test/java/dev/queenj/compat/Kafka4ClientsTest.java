package dev.queenj.compat;

/** The client suite on kafka-clients 4.x, the version the build manages (default surefire execution). */
class Kafka4ClientsTest extends ClientCompatSuite {
  @Override
  protected String expectedClientVersion() {
    return System.getProperty("queen.compat.kafka4.version");
  }
}
