package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.queenj.http.auth.JwtConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Queen's JWT_* settings as read from the environment, and the configurations that refuse to start. */
class JwtSettingsTest {

  @Test
  void offByDefaultWithQueensDefaults() {
    JwtConfig jwt = ConfigLoader.load(new String[0], Map.of()).http().jwt();
    assertThat(jwt.enabled()).isFalse();
    assertThat(jwt).isEqualTo(JwtConfig.DISABLED);
    assertThat(jwt.skipPaths()).containsExactly("/health", "/metrics", "/");
    assertThat(List.of(jwt.algorithm(), jwt.rolesClaim(), jwt.rolesArrayClaim(), jwt.roleAdmin(),
        jwt.roleReadWrite(), jwt.roleReadOnly())).containsExactly("HS256", "role", "roles", "admin", "read-write",
        "read-only");
    assertThat(List.of(jwt.clockSkewSeconds(), jwt.jwksRefreshSeconds(), jwt.jwksTimeoutMs()))
        .containsExactly(30, 3600, 5000);
  }

  @Test
  void aQueenDeploymentsVariablesCarryOver() {
    JwtConfig jwt = ConfigLoader.load(new String[0], Map.ofEntries(Map.entry("JWT_ENABLED", "true"),
        Map.entry("JWT_ALGORITHM", "RS256"), Map.entry("JWT_JWKS_URL", "https://idp.test/.well-known/jwks.json"),
        Map.entry("JWT_JWKS_REFRESH_INTERVAL", "600"), Map.entry("JWT_JWKS_TIMEOUT_MS", "1500"),
        Map.entry("JWT_ISSUER", "https://idp.test/"), Map.entry("JWT_AUDIENCE", "queen"),
        Map.entry("JWT_CLOCK_SKEW", "5"), Map.entry("JWT_SKIP_PATHS", " /health , /assets/ ,"),
        Map.entry("JWT_ROLES_CLAIM", "r"), Map.entry("JWT_ROLES_ARRAY_CLAIM", "rs"), Map.entry("JWT_ROLE_ADMIN", "A"),
        Map.entry("JWT_ROLE_READ_WRITE", "RW"), Map.entry("JWT_ROLE_READ_ONLY", "RO"))).http().jwt();
    assertThat(jwt).isEqualTo(new JwtConfig(true, "RS256", "", "", "https://idp.test/.well-known/jwks.json", 600,
        1500, "https://idp.test/", "queen", 5, List.of("/health", "/assets/"), "r", "rs", "A", "RW", "RO"));
    assertThat(jwt.acceptsRsa()).isTrue();
    assertThat(jwt.acceptsHmac()).isFalse();
    assertThat(jwt.acceptsEdDsa()).isFalse();
    assertThat(jwt.skips("/assets/app.js")).isTrue();
    assertThat(jwt.skips("/health")).isTrue();
    assertThat(jwt.skips("/health/ready")).as("no trailing slash: exact only").isFalse();
    assertThat(JwtConfig.DISABLED.skips("/api/v1/push")).as("'/' is exact, not a prefix").isFalse();
  }

  /** Queen's EdDSA takes Ed25519 keys from JWT_PUBLIC_KEY or the JWKS, never the shared secret. */
  @Test
  void eddsaTakesPublicKeysOnly() {
    JwtConfig jwt = ConfigLoader.load(new String[0], Map.of("JWT_ENABLED", "true", "JWT_ALGORITHM", "EdDSA",
        "JWT_JWKS_URL", "https://idp.test/jwks", "JWT_SECRET", "a-shared-secret-of-at-least-32-bytes!")).http().jwt();
    assertThat(List.of(jwt.acceptsEdDsa(), jwt.acceptsRsa(), jwt.acceptsHmac())).containsExactly(true, false, false);
    JwtConfig auto = ConfigLoader.load(new String[0], Map.of("JWT_ENABLED", "true", "JWT_ALGORITHM", "auto",
        "JWT_PUBLIC_KEY", "pem")).http().jwt();
    assertThat(List.of(auto.acceptsEdDsa(), auto.acceptsRsa(), auto.acceptsHmac())).containsExactly(true, true, false);
  }

  @Test
  void incompleteOrUnknownSettingsRefuseToLoad() {
    assertRefused(Map.of("JWT_ENABLED", "true"), "JWT_SECRET");
    assertRefused(Map.of("JWT_ENABLED", "true", "JWT_ALGORITHM", "RS256", "JWT_SECRET", "x"),
        "JWT_PUBLIC_KEY or JWT_JWKS_URL");
    assertRefused(Map.of("JWT_ENABLED", "true", "JWT_ALGORITHM", "auto"), "JWT_SECRET, JWT_PUBLIC_KEY or");
    assertRefused(Map.of("JWT_ENABLED", "true", "JWT_ALGORITHM", "EdDSA", "JWT_SECRET", "x"),
        "JWT_ALGORITHM=EdDSA needs JWT_PUBLIC_KEY or JWT_JWKS_URL");
    assertRefused(Map.of("JWT_ENABLED", "true", "JWT_ALGORITHM", "ES256", "JWT_SECRET", "x"), "got 'ES256'");
    assertRefused(Map.of("JWT_ENABLED", "true", "JWT_ALGORITHM", "RS256", "JWT_JWKS_URL", "file:///etc/jwks"),
        "JWT_JWKS_URL must be an http");
    assertRefused(Map.of("JWT_ENABLED", "yes"), "JWT_ENABLED must be true or false");
    assertRefused(Map.of("JWT_ENABLED", "true", "JWT_SECRET", "x", "JWT_CLOCK_SKEW", "-1"), "JWT_CLOCK_SKEW");
  }

  private static void assertRefused(Map<String, String> env, String reason) {
    assertThatThrownBy(() -> ConfigLoader.load(new String[0], env)).as("%s", env)
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }

  /** Key material is read when the server starts, before it touches Postgres (this one names none that runs). */
  @Test
  void unusableKeyMaterialRefusesToStart() {
    assertStartRefused(new JwtConfig(true, "HS256", "too-short", "", "", 3600, 5000, "", "", 30, List.of(), null,
        null, null, null, null), "JWT_SECRET must be at least 32 bytes");
    assertStartRefused(new JwtConfig(true, "RS256", "", "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n"
        + "-----END PUBLIC KEY-----", "", 3600, 5000, "", "", 30, List.of(), null, null, null, null, null),
        "JWT_PUBLIC_KEY is not a readable RSA public key");
    assertStartRefused(new JwtConfig(true, "RS256", "", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", "", 3600,
        5000, "", "", 30, List.of(), null, null, null, null, null), "JWT_PUBLIC_KEY must be a PEM public key");
  }

  private static void assertStartRefused(JwtConfig jwt, String reason) {
    QueenConfig config = new QueenConfig(new DatabaseConfig("postgresql://127.0.0.1:1/unused",
        TestServer.freshDataDir(), 2), TestServer.defaultHttp().withJwt(jwt), TestServer.kafka(true), 1_000);
    QueenServer server = new QueenServer(config);
    assertThatThrownBy(() -> server.start().toCompletableFuture().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StartupException.class)
        .hasMessageContaining(reason);
  }
}
