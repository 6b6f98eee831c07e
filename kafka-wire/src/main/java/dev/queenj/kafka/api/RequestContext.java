package dev.queenj.kafka.api;

import dev.queenj.core.acl.AclOperation;
import dev.queenj.core.acl.AclPolicy;
import dev.queenj.core.acl.ResourceKind;
import java.net.InetSocketAddress;
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
 * @param acls what the principal may do ({@link AclPolicy#DISABLED}: everything)
 */
public record RequestContext(RequestHeader header, SocketAddress client, int listenerPort, RequestOrder order,
    KafkaPrincipal principal, AclPolicy acls) {

  /** Without an authorizer: everything is allowed. */
  public RequestContext(RequestHeader header, SocketAddress client, int listenerPort, RequestOrder order,
      KafkaPrincipal principal) {
    this(header, client, listenerPort, order, principal, AclPolicy.DISABLED);
  }

  /** Whether the principal, from the client's address, may do {@code operation} on the resource. */
  public boolean allowed(AclOperation operation, ResourceKind kind, String name) {
    return !acls.enabled() || acls.allows(principal.toString(), host(), operation, kind, name);
  }

  /** Whether the principal may do {@code operation} on some resource of {@code kind} (Kafka 3's idempotent rule). */
  public boolean allowedOnAny(AclOperation operation, ResourceKind kind) {
    return !acls.enabled() || acls.allowsAny(principal.toString(), host(), operation, kind);
  }

  /** The client's IP address, which ACL hosts name ("" off a TCP socket, matched by the host {@code *} only). */
  public String host() {
    return client instanceof InetSocketAddress address && address.getAddress() != null
        ? address.getAddress().getHostAddress() : "";
  }

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
