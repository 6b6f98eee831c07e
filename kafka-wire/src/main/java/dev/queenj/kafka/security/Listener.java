package dev.queenj.kafka.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One Kafka listener, written the way Kafka's {@code listeners} setting writes it: {@code SASL_SSL://:9093}. The
 * listener name is its security protocol (Kafka's default {@code listener.security.protocol.map}); an empty host
 * binds every interface.
 */
public record Listener(SecurityProtocol protocol, String host, int port) {
  public static final String SETTING = "QUEEN_KAFKA_LISTENERS";

  public Listener {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(SETTING + ": port must be between 0 and 65535, got " + port);
    }
    host = host == null ? "" : host;
  }

  public static Listener plaintext(int port) {
    return new Listener(SecurityProtocol.PLAINTEXT, "", port);
  }

  /** Whether connections authenticate with SASL before anything but ApiVersions is served. */
  public boolean sasl() {
    return protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
  }

  /** Whether connections speak TLS. */
  public boolean tls() {
    return protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
  }

  /** {@code PLAINTEXT://:9092,SASL_SSL://0.0.0.0:9093}: each protocol at most once. */
  public static List<Listener> parse(String listeners) {
    List<Listener> parsed = new ArrayList<>();
    Set<SecurityProtocol> seen = new HashSet<>();
    for (String entry : listeners.split(",")) {
      String text = entry.trim();
      if (text.isEmpty()) {
        continue;
      }
      int scheme = text.indexOf("://");
      int colon = text.lastIndexOf(':');
      if (scheme < 0 || colon <= scheme) {
        throw new IllegalArgumentException(SETTING + ": '" + text + "' is not PROTOCOL://host:port");
      }
      String name = text.substring(0, scheme).toUpperCase(Locale.ROOT);
      SecurityProtocol protocol;
      try {
        protocol = SecurityProtocol.forName(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(SETTING + ": listener '" + name + "' is not one of PLAINTEXT, SSL, "
            + "SASL_PLAINTEXT, SASL_SSL (the listener name is its security protocol)");
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(SETTING + ": '" + text + "' has no port number");
      }
      if (!seen.add(protocol)) {
        throw new IllegalArgumentException(SETTING + ": " + protocol + " is listed twice");
      }
      String host = text.substring(scheme + 3, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1); // an IPv6 address, as Kafka writes it
      }
      parsed.add(new Listener(protocol, host, port));
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException(SETTING + " names no listener");
    }
    return List.copyOf(parsed);
  }

  @Override
  public String toString() {
    return protocol + "://" + host + ":" + port;
  }
}
