package dev.queenj.core.cluster;

/** Where clients reach one listener of an instance: the advertised host and the bound port. */
public record Endpoint(String host, int port) {
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
