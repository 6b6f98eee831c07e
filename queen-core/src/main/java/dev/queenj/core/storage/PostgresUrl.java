package dev.queenj.core.storage;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.KeyStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads a {@code postgresql://user:pass@host:port/db?sslmode=...&sslrootcert=...} URL the way libpq users write it.
 * The driver parses the address and credentials but ignores query parameters it does not know, and it verifies no
 * certificate unless told how; here every parameter is either honoured or refused, and {@code sslmode} means what it
 * means in libpq:
 * <ul>
 *   <li>{@code disable}: no TLS; {@code allow}/{@code prefer}: TLS if the server offers it; {@code require}: TLS or
 *       no connection. None of these verify the server's certificate (as in libpq without a root certificate).
 *   <li>{@code verify-ca}: TLS, the certificate chain must lead to a trusted CA; {@code verify-full}: and name the
 *       host connected to. The trusted CAs are those in {@code sslrootcert} (a PEM file), else the JVM's own.
 * </ul>
 */
public final class PostgresUrl {
  static final String SSL_MODE = "sslmode";
  static final String SSL_ROOT_CERT = "sslrootcert";

  private PostgresUrl() {}

  /**
   * Connection options for {@code url}; fails with an {@link IllegalArgumentException} naming the problem (an
   * unknown parameter or sslmode, a root certificate that cannot be read), never with the password in it.
   */
  public static PgConnectOptions parse(String url) {
    String normalized = url.replaceFirst("^postgres://", "postgresql://");
    if (!normalized.startsWith("postgresql://")) {
      throw new IllegalArgumentException("a Postgres URL starts with postgresql:// or postgres://");
    }
    int query = normalized.indexOf('?');
    String base = query < 0 ? normalized : normalized.substring(0, query);
    SslMode sslMode = SslMode.DISABLE;
    String rootCert = null;
    List<String> driverParameters = new ArrayList<>();
    if (query >= 0) {
      for (String pair : normalized.substring(query + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        switch (name) {
          case SSL_MODE -> {
            sslMode = sslMode(value);
            driverParameters.add(pair);
          }
          case SSL_ROOT_CERT -> rootCert = value;
          default -> throw new IllegalArgumentException("the Postgres URL parameter '" + name
              + "' is not supported (supported: " + SSL_MODE + ", " + SSL_ROOT_CERT + ")");
        }
      }
    }
    String driverUrl = driverParameters.isEmpty() ? base : base + "?" + String.join("&", driverParameters);
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(driverUrl);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot read the Postgres URL: " + e.getMessage(), e);
    }
    return withTls(options, sslMode, rootCert);
  }

  private static SslMode sslMode(String value) {
    try {
      return SslMode.of(value.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sslmode must be one of disable, allow, prefer, require, verify-ca, "
          + "verify-full; got '" + value + "'");
    }
  }

  private static PgConnectOptions withTls(PgConnectOptions options, SslMode mode, String rootCert) {
    options.setSslMode(mode);
    boolean verifies = mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
    if (rootCert != null && !verifies) {
      throw new IllegalArgumentException("sslrootcert is only read with sslmode=verify-ca or verify-full; "
          + "sslmode is " + mode.value);
    }
    if (mode == SslMode.DISABLE) {
      return options;
    }
    if (!verifies) {
      return options.setTrustAll(true);
    }
    if (rootCert != null) {
      if (!Files.isReadable(Path.of(rootCert))) {
        throw new IllegalArgumentException("sslrootcert " + rootCert + " cannot be read");
      }
      options.setTrustOptions(new PemTrustOptions().addCertPath(rootCert));
    } else {
      options.setTrustOptions(TrustOptions.wrap(jvmTrustedCertificates()));
    }
    // verify-ca checks the chain only; verify-full also checks that the certificate names the host
    return options.setHostnameVerificationAlgorithm(mode == SslMode.VERIFY_FULL ? "HTTPS" : "");
  }

  private static TrustManagerFactory jvmTrustedCertificates() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      return factory;
    } catch (NoSuchAlgorithmException | KeyStoreException e) {
      throw new IllegalStateException("the JVM's trusted certificates cannot be read", e);
    }
  }
}
