package dev.queenj.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Static-key verification (JWT_PUBLIC_KEY), which the black-box test leaves to the JWKS, at unit level. */
class TokenVerifierTest {
  private static Vertx vertx;
  private static RSAKey key;
  private static String pem;

  @BeforeAll
  static void keys() throws Exception {
    vertx = Vertx.vertx();
    key = new RSAKeyGenerator(2048).generate();
    pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
            key.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static JwtConfig rs256(String publicKey) {
    return new JwtConfig(true, "RS256", "", publicKey, "", 3600, 5000, "", "", 30, List.of(), null, null, null, null,
        null);
  }

  @Test
  void aStaticPemKeyVerifiesRs256AndRs384Tokens() throws Exception {
    TokenVerifier verifier = new TokenVerifier(vertx, rs256(pem));
    HttpPrincipal principal = await(verifier.verify(token(new RSASSASigner(key), JWSAlgorithm.RS256, "dave",
        "read-write")));
    assertThat(principal).isEqualTo(new HttpPrincipal("dave", Role.READ_WRITE));
    assertThat(principal.aclName()).isEqualTo("User:dave");
    assertThat(await(verifier.verify(token(new RSASSASigner(key), JWSAlgorithm.RS384, "erin", "admin"))).role())
        .isEqualTo(Role.ADMIN);
    TokenVerifier escaped = new TokenVerifier(vertx, rs256(pem.replace("\n", "\\n")));
    assertThat(await(escaped.verify(token(new RSASSASigner(key), JWSAlgorithm.RS256, "f", "read-only"))).role())
        .as("a PEM with literal \\n, as env files carry it").isEqualTo(Role.READ_ONLY);
  }

  /** The classic confusion: an HS256 token whose "secret" is the server's public key must not pass. */
  @Test
  void anHmacTokenKeyedWithThePublicKeyIsRefused() throws Exception {
    TokenVerifier verifier = new TokenVerifier(vertx, rs256(pem));
    String forged = token(new MACSigner(pem.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, "mallory",
        "admin");
    Future<HttpPrincipal> verified = verifier.verify(forged);
    assertThat(verified.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure)
        .get(5, TimeUnit.SECONDS)).isInstanceOf(TokenVerifier.Rejected.class);
  }

  /** A JWKS that cannot be fetched refuses the token (401), within the fetch's bound, and does not hang. */
  @Test
  void anUnreachableJwksRefusesTokensInBoundedTime() throws Exception {
    TokenVerifier verifier = new TokenVerifier(vertx, new JwtConfig(true, "RS256", "", "",
        "http://127.0.0.1:1/jwks.json", 3600, 500, "", "", 30, List.of(), null, null, null, null, null));
    try {
      Future<HttpPrincipal> verified = verifier.verify(token(new RSASSASigner(key), JWSAlgorithm.RS256, "g",
          "admin"));
      assertThat(verified.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure)
          .get(5, TimeUnit.SECONDS)).isInstanceOf(TokenVerifier.Rejected.class);
    } finally {
      verifier.close();
    }
  }

  @Test
  void aTokenWithoutAKnownRoleHasNone() throws Exception {
    TokenVerifier verifier = new TokenVerifier(vertx, rs256(pem));
    assertThat(await(verifier.verify(token(new RSASSASigner(key), JWSAlgorithm.RS256, null, "superuser"))))
        .isEqualTo(new HttpPrincipal(null, Role.NONE));
    assertThat(new HttpPrincipal(null, Role.NONE).aclName()).isEqualTo("User:ANONYMOUS");
  }

  private static String token(JWSSigner signer, JWSAlgorithm alg, String subject, String role) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build(),
        new JWTClaimsSet.Builder().subject(subject).claim("role", role).build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
