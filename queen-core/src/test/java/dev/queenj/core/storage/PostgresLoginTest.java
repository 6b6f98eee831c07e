package dev.queenj.core.storage;

import static dev.queenj.core.testing.TestPostgres.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logins and TLS against a Postgres deployed as users deploy it (.ci/external-postgres.sh: SCRAM-SHA-256 and md5
 * password logins, TLS with a certificate for "localhost" from a CA of its own). The embedded Postgres logs in
 * without a password over plain TCP and cannot show any of this; these tests are skipped, saying so, where no such
 * server is named ({@code QUEEN_TEST_EXTERNAL_PG_URL}, {@code QUEEN_TEST_EXTERNAL_PG_MD5_URL},
 * {@code QUEEN_TEST_EXTERNAL_PG_CA}).
 */
class PostgresLoginTest {
  private static final String SCRAM_URL = System.getenv("QUEEN_TEST_EXTERNAL_PG_URL");
  private static final String MD5_URL = System.getenv("QUEEN_TEST_EXTERNAL_PG_MD5_URL");
  private static final String CA = System.getenv("QUEEN_TEST_EXTERNAL_PG_CA");
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @Test
  void scramOverVerifiedTls() {
    assumeServer(SCRAM_URL, "QUEEN_TEST_EXTERNAL_PG_URL");
    assertThat(SCRAM_URL).contains("sslmode=verify-full");
    withSession(SCRAM_URL, session -> {
      assertThat(session.getString("user")).isEqualTo("queen");
      assertThat(session.getBoolean("ssl")).as("the session is encrypted").isTrue();
    });
  }

  @Test
  void md5OverTlsThatIsNotVerified() {
    assumeServer(MD5_URL, "QUEEN_TEST_EXTERNAL_PG_MD5_URL");
    withSession(MD5_URL, session -> {
      assertThat(session.getString("user")).isEqualTo("queen_md5");
      assertThat(session.getBoolean("ssl")).isTrue();
    });
  }

  @Test
  void aWrongPasswordIsALoginFailureNotAMissingLibrary() {
    assumeServer(SCRAM_URL, "QUEEN_TEST_EXTERNAL_PG_URL");
    String wrong = SCRAM_URL.replaceFirst("//([^:]+):[^@]*@", "//$1:not-the-password@");
    assertThatThrownBy(() -> withSession(wrong, session -> { }))
        .isInstanceOf(PgException.class)
        .satisfies(e -> assertThat(((PgException) e).getSqlState()).isEqualTo("28P01"));
  }

  @Test
  void verifyFullRefusesACertificateForAnotherNameAndVerifyCaAcceptsIt() {
    assumeServer(SCRAM_URL, "QUEEN_TEST_EXTERNAL_PG_URL");
    assumeServer(CA, "QUEEN_TEST_EXTERNAL_PG_CA");
    // the server's certificate names "localhost"; 127.0.0.1 is the same server under a name it does not carry
    String byAddress = SCRAM_URL.replace("@localhost:", "@127.0.0.1:");
    // the chain is good (verify-ca accepts it), so what verify-full refuses is the name
    withSession(byAddress.replace("sslmode=verify-full", "sslmode=verify-ca"),
        session -> assertThat(session.getBoolean("ssl")).isTrue());
    assertThatThrownBy(() -> withSession(byAddress, session -> { })).hasMessageContaining("SSL handshake failed");
  }

  @Test
  void aCertificateFromAnUntrustedCaIsRefused() {
    assumeServer(SCRAM_URL, "QUEEN_TEST_EXTERNAL_PG_URL");
    // without sslrootcert the JVM's CAs decide, and none of them signed the test server's certificate
    String jvmCas = SCRAM_URL.replaceFirst("&sslrootcert=[^&]*", "");
    assertThatThrownBy(() -> withSession(jvmCas, session -> { }))
        .hasMessageContaining("SSL handshake failed");
  }

  private static void assumeServer(String value, String variable) {
    assumeTrue(value != null && !value.isBlank(), variable + " is not set: no external Postgres to log in to "
        + "(.ci/external-postgres.sh starts one)");
  }

  private static void withSession(String url, Consumer<Row> check) {
    Database database = Database.connect(vertx, url, 1);
    try {
      Row row = await(database.pool().query("SELECT current_user AS user, s.ssl FROM pg_stat_ssl s "
          + "WHERE s.pid = pg_backend_pid()").execute()).iterator().next();
      check.accept(row);
    } finally {
      await(database.close());
    }
  }
}
