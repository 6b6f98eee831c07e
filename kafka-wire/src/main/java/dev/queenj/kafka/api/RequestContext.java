package dev.queenj.kafka.api;

import java.net.SocketAddress;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * What a handler knows about a request besides its body.
 *
 * @param header the parsed request header
 * @param client the peer's address, for log lines
 * @param listenerPort the port this connection reached us on: the bound Kafka port, which Metadata advertises
 *     (0 off a TCP socket, as on a test's embedded channel)
 * @param order the connection's request order, for work that must keep it although requests are pipelined
 * @param principal who the connection authenticated as ({@code User:ANONYMOUS} before or without authentication)
 */
public record RequestContext(RequestHeader header, SocketAddress client, int listenerPort, RequestOrder order,
    KafkaPrincipal principal) {

  public ApiKeys apiKey() {
    return header.apiKey();
  }

  public short apiVersion() {
    return header.apiVersion();
  }

  public int correlationId() {
    return header.correlationId();
  }

  /** For log lines: {@code Metadata v12 from client-id at /127.0.0.1:51234}. */
  public String describe() {
    return header.apiKey().name + " v" + header.apiVersion() + " from " + header.clientId() + " at " + client;
  }
}
