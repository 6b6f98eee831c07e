package dev.queenj.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Postgres URL means what it means to libpq, and a parameter that would not be honoured is refused. */
class PostgresUrlTest {

  @Test
  void addressCredentialsAndDatabaseAreRead() {
    PgConnectOptions options = PostgresUrl.parse("postgres://queen:s%40cret@db.example:5433/broker");
    assertThat(options.getHost()).isEqualTo("db.example");
    assertThat(options.getPort()).isEqualTo(5433);
    assertThat(options.getUser()).isEqualTo("queen");
    assertThat(options.getPassword()).isEqualTo("s@cret");
    assertThat(options.getDatabase()).isEqualTo("broker");
    assertThat(options.getSslMode()).isEqualTo(SslMode.DISABLE);
  }

  @Test
  void modesThatDoNotVerifyEncryptWithoutCheckingTheCertificate() {
    for (String mode : new String[] {"allow", "prefer", "require"}) {
      PgConnectOptions options = PostgresUrl.parse("postgresql://u:p@h/db?sslmode=" + mode);
      assertThat(options.getSslMode().value).isEqualTo(mode);
      assertThat(options.isTrustAll()).as(mode).isTrue();
    }
  }

  @Test
  void verifyFullChecksTheChainAndTheHostName(@TempDir Path dir) throws IOException {
    Path ca = Files.writeString(dir.resolve("root.crt"), "-----BEGIN CERTIFICATE-----\n");
    PgConnectOptions full = PostgresUrl.parse("postgresql://u:p@h/db?sslmode=verify-full&sslrootcert=" + ca);
    assertThat(full.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(full.isTrustAll()).isFalse();
    assertThat(full.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(((PemTrustOptions) full.getTrustOptions()).getCertPaths()).containsExactly(ca.toString());

    PgConnectOptions chainOnly = PostgresUrl.parse("postgresql://u:p@h/db?sslmode=verify-ca&sslrootcert=" + ca);
    assertThat(chainOnly.getHostnameVerificationAlgorithm()).isEmpty();
    assertThat(chainOnly.isTrustAll()).isFalse();

    // without a root certificate the JVM's trusted CAs decide, as for any TLS client in Java
    PgConnectOptions jvmCas = PostgresUrl.parse("postgresql://u:p@h/db?sslmode=verify-full");
    assertThat(jvmCas.getTrustOptions()).isNotNull();
    assertThat(jvmCas.isTrustAll()).isFalse();
  }

  @Test
  void whatWouldNotBeHonouredIsRefused() {
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:p@h/db?sslmode=verify-full&connect_timeout=5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the Postgres URL parameter 'connect_timeout' is not supported (supported: sslmode, sslrootcert)");
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:p@h/db?sslmode=strict"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'strict'");
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:p@h/db?sslmode=require&sslrootcert=/etc/ca.crt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sslrootcert is only read with sslmode=verify-ca or verify-full; sslmode is require");
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:p@h/db?sslmode=verify-ca&sslrootcert=/no/such.crt"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sslrootcert /no/such.crt cannot be read");
    assertThatThrownBy(() -> PostgresUrl.parse("mysql://u:p@h/db"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgresql://");
  }
}
