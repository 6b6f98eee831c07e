package dev.queenj.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Static-key verification (JWT_PUBLIC_KEY), which the black-box test leaves to the JWKS, at unit level; EdDSA tokens
 * are signed with the JDK (Nimbus signs them only through Tink, which this server does without).
 */
class TokenVerifierTest {
  private static Vertx vertx;
  private static RSAKey key;
  private static String pem;
  private static KeyPair ed25519;
  private static KeyPair ed448;

  @BeforeAll
  static void keys() throws Exception {
    vertx = Vertx.vertx();
    key = new RSAKeyGenerator(2048).generate();
    pem = pem(key.toRSAPublicKey());
    ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
  }

  private static String pem(PublicKey publicKey) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(publicKey.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static JwtConfig rs256(String publicKey) {
    return config("RS256", "", publicKey);
  }

  private static JwtConfig config(String algorithm, String secret, String publicKey) {
    return new JwtConfig(true, algorithm, secret, publicKey, "", 3600, 5000, "", "", 30, List.of(), null, null, null,
        null, null);
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

  @Test
  void aStaticPemKeyVerifiesEdDsaTokensOnEd25519AndEd448() throws Exception {
    TokenVerifier verifier = new TokenVerifier(vertx, config("EdDSA", "", pem(ed25519.getPublic())));
    assertThat(await(verifier.verify(edDsa(ed25519.getPrivate(), JWSAlgorithm.EdDSA, "ed", "admin"))))
        .isEqualTo(new HttpPrincipal("ed", Role.ADMIN));
    assertThat(await(verifier.verify(edDsa(ed25519.getPrivate(), JWSAlgorithm.Ed25519, "ed", "read-only"))).role())
        .as("RFC 9864's fully-specified alg").isEqualTo(Role.READ_ONLY);
    String token = edDsa(ed25519.getPrivate(), JWSAlgorithm.EdDSA, "ed", "admin");
    assertRejected(verifier, tampered(token));
    assertRejected(verifier, edDsa(ed448.getPrivate(), JWSAlgorithm.EdDSA, "ed", "admin"));
    assertRejected(verifier, edDsa(ed25519.getPrivate(), JWSAlgorithm.Ed448, "ed", "admin"));

    TokenVerifier on448 = new TokenVerifier(vertx, config("auto", "", pem(ed448.getPublic()).replace("\n", "\\n")));
    assertThat(await(on448.verify(edDsa(ed448.getPrivate(), JWSAlgorithm.EdDSA, "ed448", "read-write"))).role())
        .isEqualTo(Role.READ_WRITE);
    assertThat(await(on448.verify(edDsa(ed448.getPrivate(), JWSAlgorithm.Ed448, "ed448", "read-write"))).role())
        .isEqualTo(Role.READ_WRITE);
    assertRejected(on448, token(new RSASSASigner(key), JWSAlgorithm.RS256, "rsa", "admin"));
  }

  /** An EdDSA token where JWT_ALGORITHM does not take EdDSA, and public keys as HMAC secrets, are refused. */
  @Test
  void eddsaTokensAreRefusedWhereTheAlgorithmDoesNotTakeThem() throws Exception {
    String secret = "a-shared-secret-of-at-least-32-bytes!";
    String edToken = edDsa(ed25519.getPrivate(), JWSAlgorithm.EdDSA, "ed", "admin");
    assertRejected(new TokenVerifier(vertx, config("HS256", secret, "")), edToken);
    assertRejected(new TokenVerifier(vertx, config("RS256", "", pem)), edToken);
    String edPem = pem(ed25519.getPublic());
    TokenVerifier edOnly = new TokenVerifier(vertx, config("EdDSA", secret, edPem));
    assertRejected(edOnly, token(new MACSigner(secret), JWSAlgorithm.HS256, "h", "admin"));
    assertRejected(edOnly, token(new MACSigner(edPem.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256, "h",
        "admin"));
    assertThatThrownBy(() -> new TokenVerifier(vertx, config("EdDSA", "", pem)))
        .hasMessageContaining("JWT_PUBLIC_KEY is not a readable Ed25519 or Ed448 public key");
    assertThatThrownBy(() -> new TokenVerifier(vertx, config("RS256", "", edPem)))
        .hasMessageContaining("JWT_PUBLIC_KEY is not a readable RSA public key");
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

  /** A compact JWS signed by the JDK's EdDSA, with the key's curve. */
  private static String edDsa(PrivateKey privateKey, JWSAlgorithm alg, String subject, String role)
      throws Exception {
    String signingInput = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build().toBase64URL() + "."
        + Base64URL.encode(new JWTClaimsSet.Builder().subject(subject).claim("role", role).build().toString());
    Signature signature = Signature.getInstance("EdDSA");
    signature.initSign(privateKey);
    signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64URL.encode(signature.sign());
  }

  /** The token with one bit of its signature flipped. */
  private static String tampered(String token) {
    byte[] signature = new Base64URL(token.substring(token.lastIndexOf('.') + 1)).decode();
    signature[0] ^= 1;
    return token.substring(0, token.lastIndexOf('.') + 1) + Base64URL.encode(signature);
  }

  private static void assertRejected(TokenVerifier verifier, String token) throws Exception {
    assertThat(verifier.verify(token).toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure)
        .get(5, TimeUnit.SECONDS)).isInstanceOf(TokenVerifier.Rejected.class);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
