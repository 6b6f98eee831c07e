package dev.queenj.kafka.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How Kafka clients get in: the listeners with their security protocols, TLS for the SSL ones, the SASL mechanisms
 * of the SASL ones, KIP-368 re-authentication and the administrator created at start-up.
 *
 * @param listeners what to listen on; empty means one PLAINTEXT listener on the Kafka port
 * @param tls certificate and key of the SSL and SASL_SSL listeners
 * @param saslMechanisms Kafka's {@code sasl.enabled.mechanisms}: of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
 * @param maxReauthMs Kafka's {@code connections.max.reauth.ms}: 0 keeps a SASL session for the connection's life;
 *     otherwise clients are told to re-authenticate within it and a connection that did not is closed
 * @param adminUser a user given SCRAM credentials for {@code adminPassword} at start-up (empty: none)
 * @param adminPassword that user's password
 */
public record KafkaSecurity(List<Listener> listeners, TlsSettings tls, List<String> saslMechanisms, long maxReauthMs,
    String adminUser, String adminPassword) {
  public static final String PLAIN = "PLAIN";
  public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
  public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
  public static final Set<String> SUPPORTED_MECHANISMS = Set.of(PLAIN, SCRAM_SHA_256, SCRAM_SHA_512);
  public static final String DEFAULT_MECHANISMS = PLAIN + "," + SCRAM_SHA_256 + "," + SCRAM_SHA_512;
  public static final KafkaSecurity NONE = new KafkaSecurity(List.of(), new TlsSettings(null, null, null, null, null),
      List.of(PLAIN, SCRAM_SHA_256, SCRAM_SHA_512), 0, "", "");

  public KafkaSecurity {
    listeners = List.copyOf(listeners);
    saslMechanisms = List.copyOf(saslMechanisms);
    adminUser = adminUser == null ? "" : adminUser.trim();
    adminPassword = adminPassword == null ? "" : adminPassword;
    for (String mechanism : saslMechanisms) {
      if (!SUPPORTED_MECHANISMS.contains(mechanism)) {
        throw new IllegalArgumentException("QUEEN_KAFKA_SASL_ENABLED_MECHANISMS: " + mechanism + " is not supported "
            + "(supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; GSSAPI, OAUTHBEARER and delegation tokens are not)");
      }
    }
    if (listeners.stream().anyMatch(Listener::sasl) && saslMechanisms.isEmpty()) {
      throw new IllegalArgumentException("a SASL listener needs QUEEN_KAFKA_SASL_ENABLED_MECHANISMS");
    }
    if (listeners.stream().anyMatch(Listener::tls) && !tls.configured()) {
      throw new IllegalArgumentException("an SSL or SASL_SSL listener needs QUEEN_KAFKA_SSL_CERTIFICATE_LOCATION and "
          + "QUEEN_KAFKA_SSL_KEY_LOCATION (PEM)");
    }
    if (maxReauthMs < 0) {
      throw new IllegalArgumentException("QUEEN_KAFKA_CONNECTIONS_MAX_REAUTH_MS must not be negative, got "
          + maxReauthMs);
    }
    if (adminUser.isEmpty() != adminPassword.isEmpty()) {
      throw new IllegalArgumentException(
          "QUEEN_KAFKA_SASL_ADMIN_USER and QUEEN_KAFKA_SASL_ADMIN_PASSWORD are set together or not at all");
    }
  }

  /** Without the administrator's password. */
  @Override
  public String toString() {
    return "KafkaSecurity[listeners=" + listeners + ", tls=" + tls + ", saslMechanisms=" + saslMechanisms
        + ", maxReauthMs=" + maxReauthMs + ", adminUser=" + adminUser + ", adminPassword="
        + (adminPassword.isEmpty() ? "" : "***") + "]";
  }

  /** {@code SCRAM-SHA-512, PLAIN} as a list, upper-cased. */
  public static List<String> mechanisms(String setting) {
    return Arrays.stream(setting.split(",")).map(String::trim).filter(m -> !m.isEmpty())
        .map(m -> m.toUpperCase(Locale.ROOT)).toList();
  }

  /** The listeners to bind: those configured, or one PLAINTEXT listener on {@code port}. */
  public List<Listener> listenersOr(int port) {
    return listeners.isEmpty() ? List.of(Listener.plaintext(port)) : listeners;
  }

  /** The same with these listeners. */
  public KafkaSecurity withListeners(List<Listener> listeners) {
    return new KafkaSecurity(listeners, tls, saslMechanisms, maxReauthMs, adminUser, adminPassword);
  }
}
