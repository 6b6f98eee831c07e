package dev.queenj.kafka.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * TLS of the SSL and SASL_SSL listeners, from PEM files (Kafka's {@code ssl.keystore.type=PEM}): the server's
 * certificate chain, its PKCS#8 private key (encrypted when a password is given) and, for client certificates, the
 * CA bundle they must chain to.
 *
 * @param certificate PEM certificate chain, the server's own certificate first
 * @param key PEM PKCS#8 private key of that certificate
 * @param keyPassword the key's password, or empty for an unencrypted key
 * @param truststore PEM CA bundle client certificates are checked against, or null (the JVM's trusted CAs)
 * @param clientAuth Kafka's {@code ssl.client.auth}: none, requested or required
 */
public record TlsSettings(String certificate, String key, String keyPassword, String truststore, String clientAuth) {
  public static final String CLIENT_AUTH_NONE = "none";

  public TlsSettings {
    certificate = certificate == null || certificate.isBlank() ? null : certificate;
    key = key == null || key.isBlank() ? null : key;
    keyPassword = keyPassword == null ? "" : keyPassword;
    truststore = truststore == null || truststore.isBlank() ? null : truststore;
    clientAuth = clientAuth == null || clientAuth.isBlank() ? CLIENT_AUTH_NONE
        : clientAuth.trim().toLowerCase(Locale.ROOT);
    mode(clientAuth);
  }

  /** Whether certificate and key are set: an SSL or SASL_SSL listener needs them. */
  public boolean configured() {
    return certificate != null && key != null;
  }

  /** Without the key password. */
  @Override
  public String toString() {
    return "TlsSettings[certificate=" + certificate + ", key=" + key + ", keyPassword="
        + (keyPassword.isEmpty() ? "" : "***") + ", truststore=" + truststore + ", clientAuth=" + clientAuth + "]";
  }

  /** The server-side context; fails with a message naming the setting when a file cannot be read. */
  public SslContext context() {
    if (!configured()) {
      throw new IllegalArgumentException("an SSL or SASL_SSL listener needs QUEEN_KAFKA_SSL_CERTIFICATE_LOCATION and "
          + "QUEEN_KAFKA_SSL_KEY_LOCATION (PEM)");
    }
    try {
      SslContextBuilder builder = SslContextBuilder.forServer(new File(certificate), new File(key),
          keyPassword.isEmpty() ? null : keyPassword).clientAuth(mode(clientAuth));
      if (truststore != null) {
        builder.trustManager(new File(truststore));
      }
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use the Kafka listener's TLS files (certificate " + certificate
          + ", key " + key + (truststore == null ? "" : ", truststore " + truststore) + "): " + e.getMessage(), e);
    }
  }

  private static ClientAuth mode(String clientAuth) {
    return switch (clientAuth) {
      case CLIENT_AUTH_NONE -> ClientAuth.NONE;
      case "requested" -> ClientAuth.OPTIONAL;
      case "required" -> ClientAuth.REQUIRE;
      default -> throw new IllegalArgumentException(
          "QUEEN_KAFKA_SSL_CLIENT_AUTH must be none, requested or required, got " + clientAuth);
    };
  }
}
