package dev.queenj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.queenj.core.testing.Eventually;
import dev.queenj.http.HttpConfig;
import dev.queenj.http.auth.JwtConfig;
import dev.queenj.http.auth.Role;
import dev.queenj.http.auth.RouteRoles;
import dev.queenj.server.TestServer.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JWT roles on the native HTTP API, black-box: one server with {@code JWT_ALGORITHM=auto} taking HS256 tokens
 * (JWT_SECRET) and RS256 and EdDSA tokens whose keys it fetches from a JWKS this test serves, an issuer, an audience,
 * custom role claims and one extra skip path. Tokens are real, signed with Nimbus (EdDSA ones with the JDK).
 */
class JwtAuthTest {
  private static final String SECRET = "a-shared-secret-of-at-least-32-bytes!";
  private static final String ISSUER = "https://issuer.test";
  private static final String AUDIENCE = "queen";
  private static final String ROLE_CLAIM = "queen_role";
  private static final String ROLES_CLAIM = "groups";

  private static HttpServer jwksServer;
  private static final AtomicReference<String> jwks = new AtomicReference<>();
  private static final AtomicInteger jwksFetches = new AtomicInteger();
  private static RSAKey first;
  private static KeyPair ed25519;
  private static OctetKeyPair ed25519Jwk;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    first = new RSAKeyGenerator(2048).keyID("first").generate();
    ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    ed25519Jwk = okp(ed25519.getPublic(), "ed");
    jwks.set(new JWKSet(List.of(first.toPublicJWK(), ed25519Jwk)).toString());
    jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwksServer.createContext("/jwks.json", exchange -> {
      jwksFetches.incrementAndGet();
      byte[] body = jwks.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    jwksServer.start();
    JwtConfig jwt = new JwtConfig(true, "auto", SECRET, "",
        "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json", 3600, 2000, ISSUER, AUDIENCE, 30,
        JwtConfig.skipPathList(JwtConfig.DEFAULT_SKIP_PATHS + ",/api/v1/dlq"), ROLE_CLAIM, ROLES_CLAIM, "admin",
        "read-write", "read-only");
    server = TestServer.start(TestServer.defaultHttp().withJwt(jwt));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (jwksServer != null) {
      jwksServer.stop(0);
    }
  }

  // ---- the route table: one route of every class, every role --------------------------------------------------

  @Test
  void everyRoleAgainstOneRouteOfEveryClass() {
    String none = hs256(claims("nobody", c -> {}));
    String readOnly = hs256(claims("reader", c -> c.claim(ROLE_CLAIM, "read-only")));
    String readWrite = hs256(claims("writer", c -> c.claim(ROLE_CLAIM, "read-write")));
    String admin = hs256(claims("boss", c -> c.claim(ROLE_CLAIM, "admin")));
    String publicRoute = "/health";
    String readOnlyRoute = "/api/v1/resources/queues";
    String readWriteRoute = "/api/v1/pop/queue/jwt-matrix?wait=false";
    String adminRoute = "/api/v1/system/maintenance";

    // token:              none  no role  read-only  read-write  admin
    expect(publicRoute, 200, 200, 200, 200, 200, none, readOnly, readWrite, admin);
    expect(readOnlyRoute, 401, 403, 200, 200, 200, none, readOnly, readWrite, admin);
    expect(readWriteRoute, 401, 403, 403, 200, 200, none, readOnly, readWrite, admin);
    expect(adminRoute, 401, 403, 403, 403, 200, none, readOnly, readWrite, admin);
    assertThat(get("/metrics/prometheus", null).status()).isEqualTo(200);
    assertThat(get("/health/live", null).status()).isEqualTo(200);
  }

  private void expect(String path, int noToken, int noRole, int readOnly, int readWrite, int admin, String... tokens) {
    assertThat(List.of(get(path, null).status(), get(path, tokens[0]).status(), get(path, tokens[1]).status(),
        get(path, tokens[2]).status(), get(path, tokens[3]).status()))
        .as("GET %s without a token, then with no role, read-only, read-write, admin", path)
        .containsExactly(noToken, noRole, readOnly, readWrite, admin);
  }

  /** Every row of the table is guarded: 401 without a token, 403 with the role just below the one it needs. */
  @Test
  void everyRouteOfTheTableIsGuarded() {
    Map<Role, String> justBelow = Map.of(
        Role.READ_ONLY, hs256(claims("nobody", c -> {})),
        Role.READ_WRITE, hs256(claims("reader", c -> c.claim(ROLE_CLAIM, "read-only"))),
        Role.ADMIN, hs256(claims("writer", c -> c.claim(ROLE_CLAIM, "read-write"))));
    RouteRoles.table().forEach((route, role) -> {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1).replaceAll(":([A-Za-z]+)", "$1");
      String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
      if (role == Role.NONE) {
        assertThat(send(method, path, null, body).status()).as(route).isEqualTo(200);
        return;
      }
      if (path.equals("/api/v1/dlq")) {
        return; // a JWT_SKIP_PATHS entry here
      }
      assertThat(send(method, path, null, body).status()).as("%s without a token", route).isEqualTo(401);
      assertThat(send(method, path, justBelow.get(role), body).status()).as("%s with the role below", route)
          .isEqualTo(403);
    });
  }

  @Test
  void refusalsAnswerQueensBodies() {
    Reply missing = get("/api/v1/resources/queues", null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.body().toString()).isEqualTo("{\"error\":\"Authentication required\"}");
    assertThat(missing.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    Reply weak = send("DELETE", "/api/v1/resources/queues/anything",
        hs256(claims("writer", c -> c.claim(ROLE_CLAIM, "read-write"))), null);
    assertThat(weak.status()).isEqualTo(403);
    assertThat(weak.body().toString()).isEqualTo("{\"error\":\"Insufficient permissions\"}");
    Reply consumerGroup = send("DELETE", "/api/v1/consumer-groups/g",
        hs256(claims("writer", c -> c.claim(ROLE_CLAIM, "read-write"))), null);
    assertThat(consumerGroup.status()).isEqualTo(403);
  }

  @Test
  void malformedOrForeignTokensAre401() throws Exception {
    String path = "/api/v1/resources/queues";
    assertThat(get(path, "not-a-jwt").status()).isEqualTo(401);
    assertThat(server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Basic dXNlcjpwYXNz")
        .GET()).status()).isEqualTo(401);
    JWTClaimsSet admin = claims("boss", c -> c.claim(ROLE_CLAIM, "admin"));
    assertThat(get(path, sign(new MACSigner("another-secret-of-at-least-32-bytes!!"), JWSAlgorithm.HS256, null,
        admin)).status()).as("signed with another secret").isEqualTo(401);
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("first").generate();
    assertThat(get(path, rs256(stranger, admin)).status()).as("another key under a known kid").isEqualTo(401);
    String unsigned = new com.nimbusds.jwt.PlainJWT(admin).serialize();
    assertThat(get(path, unsigned).status()).as("alg none").isEqualTo(401);
    String valid = hs256(admin);
    for (String garbage : List.of("", " ", "a.b.c", "%%%.%%%.%%%", valid.substring(0, valid.lastIndexOf('.')),
        valid + "x", valid.replace('.', '!'), "e30.e30.", "x".repeat(4000))) {
      assertThat(server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", "Bearer " + garbage)
          .GET()).status()).as("Bearer %s", garbage).isEqualTo(401);
    }
    assertThat(get(path, valid).status()).as("the server is unaffected").isEqualTo(200);
  }

  @Test
  void timeIssuerAndAudienceAreChecked() {
    String path = "/api/v1/resources/queues";
    Instant now = Instant.now();
    assertThat(get(path, hs256(claims("r", c -> c.claim(ROLE_CLAIM, "read-only")
        .expirationTime(Date.from(now.minusSeconds(120)))))).status()).as("expired").isEqualTo(401);
    assertThat(get(path, hs256(claims("r", c -> c.claim(ROLE_CLAIM, "read-only")
        .expirationTime(Date.from(now.minusSeconds(10)))))).status()).as("expired within the clock skew")
        .isEqualTo(200);
    assertThat(get(path, hs256(claims("r", c -> c.claim(ROLE_CLAIM, "read-only")
        .notBeforeTime(Date.from(now.plusSeconds(120)))))).status()).as("not yet valid").isEqualTo(401);
    assertThat(get(path, hs256(claims("r", c -> c.claim(ROLE_CLAIM, "read-only")
        .notBeforeTime(Date.from(now.plusSeconds(10)))))).status()).as("not before, within the skew")
        .isEqualTo(200);
    assertThat(get(path, hs256(claims("r", c -> c.claim(ROLE_CLAIM, "read-only").issuer("https://evil.test"))))
        .status()).as("wrong issuer").isEqualTo(401);
    assertThat(get(path, hs256(claims("r", c -> c.claim(ROLE_CLAIM, "read-only").issuer(null)))).status())
        .as("no issuer").isEqualTo(401);
    assertThat(get(path, hs256(claims("r", c -> c.claim(ROLE_CLAIM, "read-only").audience("other")))).status())
        .as("wrong audience").isEqualTo(401);
    assertThat(get(path, hs256(claims("r", c -> c.claim(ROLE_CLAIM, "read-only").audience(List.of("other",
        AUDIENCE))))).status()).as("one of several audiences").isEqualTo(200);
  }

  @Test
  void rolesComeFromTheConfiguredClaimsOnly() {
    String path = "/api/v1/system/maintenance";
    assertThat(get(path, hs256(claims("a", c -> c.claim(ROLES_CLAIM, List.of("staff", "admin"))))).status())
        .as("admin in the array claim").isEqualTo(200);
    assertThat(get(path, hs256(claims("a", c -> c.claim(ROLES_CLAIM, List.of("read-only"))
        .claim(ROLE_CLAIM, "admin")))).status()).as("the strongest role of both claims").isEqualTo(200);
    assertThat(get(path, hs256(claims("a", c -> c.claim("role", "admin").claim("roles", List.of("admin")))))
        .status()).as("Queen's default claim names are not configured here").isEqualTo(403);
    assertThat(get(path, hs256(claims("a", c -> c.claim(ROLES_CLAIM, "admin")))).status())
        .as("a string where the array claim is expected").isEqualTo(403);
  }

  // ---- RS256 through the JWKS ---------------------------------------------------------------------------------

  @Test
  void rs256TokensVerifyAgainstTheJwksAndANewKidRefetchesIt() throws Exception {
    String path = "/api/v1/resources/queues";
    JWTClaimsSet reader = claims("rsa-reader", c -> c.claim(ROLE_CLAIM, "read-only"));
    assertThat(get(path, rs256(first, reader)).status()).isEqualTo(200);

    RSAKey rotated = new RSAKeyGenerator(2048).keyID("rotated-" + UUID.randomUUID()).generate();
    assertThat(get(path, rs256(rotated, reader)).status()).as("a kid the JWKS does not publish").isEqualTo(401);
    jwks.set(new JWKSet(List.of(first.toPublicJWK(), rotated.toPublicJWK(), ed25519Jwk)).toString());
    int before = jwksFetches.get();
    assertThat(get(path, rs256(rotated, reader)).status()).as("published since the last fetch").isEqualTo(200);
    assertThat(jwksFetches.get()).isGreaterThan(before);
    assertThat(get(path, rs256(rotated, reader)).status()).isEqualTo(200);
    assertThat(jwksFetches.get()).as("a known kid needs no fetch").isEqualTo(before + 1);
  }

  /** Guards run before the body is read: a caller without a token is refused, not made to upload first. */
  @Test
  void callersAreCheckedBeforeTheirBodyIsRead() throws Exception {
    String oversized = "{\"items\":[{\"queue\":\"jwt-big\",\"payload\":\""
        + "x".repeat(HttpConfig.DEFAULT_MAX_BODY_BYTES + 1) + "\"}]}";
    assertThat(send("POST", "/api/v1/push", null, oversized).status()).as("refused before the 413 of its size")
        .isEqualTo(401);
    // a kid the JWKS publishes only now: admitted after an asynchronous fetch, and the paused body is read whole
    RSAKey late = new RSAKeyGenerator(2048).keyID("late-" + UUID.randomUUID()).generate();
    jwks.set(new JWKSet(List.of(first.toPublicJWK(), late.toPublicJWK(), ed25519Jwk)).toString());
    String writer = rs256(late, claims("late-writer", c -> c.claim(ROLE_CLAIM, "read-write")));
    String payload = "y".repeat(200_000);
    Reply pushed = send("POST", "/api/v1/push", writer,
        "{\"items\":[{\"queue\":\"jwt-async-body\",\"payload\":\"" + payload + "\"}]}");
    assertThat(pushed.status()).isEqualTo(200);
    Reply popped = get("/api/v1/pop/queue/jwt-async-body?wait=false", writer);
    assertThat(popped.body().path("messages").path(0).path("data").asText()).isEqualTo(payload);
  }

  // ---- EdDSA (Ed25519) through the JWKS ------------------------------------------------------------------------

  @Test
  void eddsaTokensVerifyAgainstTheOkpKeysOfTheJwks() throws Exception {
    String path = "/api/v1/system/maintenance";
    JWTClaimsSet admin = claims("ed-admin", c -> c.claim(ROLE_CLAIM, "admin"));
    String token = edDsa(ed25519.getPrivate(), "ed", admin);
    assertThat(get(path, token).status()).isEqualTo(200);
    assertThat(get(path, edDsa(ed25519.getPrivate(), "ed", claims("ed-reader", c -> c.claim(ROLE_CLAIM,
        "read-only")))).status()).as("the role counts as for any token").isEqualTo(403);
    String signature = token.substring(token.lastIndexOf('.') + 1);
    String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
    assertThat(get(path, token.substring(0, token.lastIndexOf('.') + 1) + flipped).status())
        .as("a tampered signature").isEqualTo(401);
    KeyPair stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThat(get(path, edDsa(stranger.getPrivate(), "ed", admin)).status()).as("another key under a known kid")
        .isEqualTo(401);
  }

  // ---- what is not guarded --------------------------------------------------------------------------------------

  @Test
  void skipPathsPreflightsAndUnknownRoutesNeedNoToken() {
    assertThat(get("/api/v1/dlq", null).status()).as("JWT_SKIP_PATHS entry").isEqualTo(200);
    assertThat(get("/api/v1/no-such-route", null).status()).isEqualTo(404);
    assertThat(send("PUT", "/api/v1/push", null, "{}").status()).as("a method nobody serves").isEqualTo(404);
    Reply preflight = server.send(HttpRequest.newBuilder(server.uri("/api/v1/push"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://app.test")
        .header("Access-Control-Request-Method", "POST"));
    assertThat(preflight.status()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .contains("Authorization");
  }

  // ---- producerSub ------------------------------------------------------------------------------------------------

  @Test
  void theTokenSubjectIsStampedAsProducerSubAndTheBodyCannotForgeIt() {
    String writer = hs256(claims("alice", c -> c.claim(ROLE_CLAIM, "read-write")));
    String queue = "jwt-sub-" + UUID.randomUUID();
    Reply push = send("POST", "/api/v1/push", writer, "{\"items\":[{\"queue\":\"" + queue + "\",\"transactionId\":"
        + "\"t1\",\"producerSub\":\"mallory\",\"payload\":{\"n\":1}}]}");
    assertThat(push.status()).isEqualTo(200);
    Reply transaction = send("POST", "/api/v1/transaction", hs256(claims("bob", c -> c.claim(ROLE_CLAIM,
        "admin"))), "{\"operations\":[{\"type\":\"push\",\"items\":[{\"queue\":\"" + queue + "\","
        + "\"transactionId\":\"t2\",\"producerSub\":\"mallory\",\"payload\":{\"n\":2}}]}]}");
    assertThat(transaction.body().get("success").asBoolean()).as("%s", transaction.body()).isTrue();
    String dave = hs256(claims("dave", c -> c.claim(ROLE_CLAIM, "read-write")));
    Reply query = send("POST", "/streams/v1/queries", dave, "{\"name\":\"" + queue + "\",\"source_queue\":\""
        + queue + "\",\"config_hash\":\"h\"}");
    assertThat(query.status()).as("%s", query.body()).isEqualTo(200);
    Reply cycle = send("POST", "/streams/v1/cycle", dave, "{\"query_id\":\"" + query.body().get("query_id").asText()
        + "\",\"partition_id\":\"" + UUID.randomUUID() + "\",\"push_items\":[{\"queue\":\"" + queue + "\","
        + "\"transactionId\":\"t3\",\"producerSub\":\"mallory\",\"payload\":{\"n\":3}}]}");
    assertThat(cycle.body().get("success").asBoolean()).as("%s", cycle.body()).isTrue();

    assertThat(producerSubs(queue, writer, 3)).containsExactly("alice", "bob", "dave");
  }

  @Test
  void bufferedPushesKeepTheirProducerSub() {
    String admin = hs256(claims("ops", c -> c.claim(ROLE_CLAIM, "admin")));
    String writer = hs256(claims("carol", c -> c.claim(ROLE_CLAIM, "read-write")));
    String queue = "jwt-buffered-" + UUID.randomUUID();
    assertThat(send("POST", "/api/v1/system/maintenance", admin, "{\"enabled\":true}").status()).isEqualTo(200);
    try {
      Reply push = send("POST", "/api/v1/push", writer, "{\"items\":[{\"queue\":\"" + queue + "\","
          + "\"transactionId\":\"b1\",\"payload\":{}}]}");
      assertThat(push.body().get(0).get("status").asText()).isEqualTo("buffered");
    } finally {
      send("POST", "/api/v1/system/maintenance", admin, "{\"enabled\":false}");
    }
    Eventually.until(Duration.ofSeconds(20), () -> get("/api/v1/system/maintenance", admin).body()
        .get("bufferedMessages").asLong() == 0, () -> "the buffer was not replayed");
    assertThat(producerSubs(queue, writer, 1)).containsExactly("carol");
  }

  private List<String> producerSubs(String queue, String token, int expected) {
    Reply pop = get("/api/v1/pop/queue/" + queue + "?batch=10&autoAck=true", token);
    assertThat(pop.status()).isEqualTo(200);
    JsonNode messages = pop.body().get("messages");
    assertThat(messages).as("%s", pop.body()).hasSize(expected);
    return java.util.stream.StreamSupport.stream(messages.spliterator(), false)
        .map(m -> m.get("producerSub").asText()).toList();
  }

  // ---- tokens and requests ----------------------------------------------------------------------------------------

  /** A token valid for this server (issuer, audience, an hour to live), adjusted by {@code more}. */
  private static JWTClaimsSet claims(String subject, Consumer<JWTClaimsSet.Builder> more) {
    JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject(subject).issuer(ISSUER).audience(AUDIENCE)
        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(3600)));
    more.accept(builder);
    return builder.build();
  }

  private static String hs256(JWTClaimsSet claims) {
    try {
      return sign(new MACSigner(SECRET), JWSAlgorithm.HS256, null, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rs256(RSAKey key, JWTClaimsSet claims) throws JOSEException {
    return sign(new RSASSASigner(key), JWSAlgorithm.RS256, key.getKeyID(), claims);
  }

  private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** An EdDSA token signed by the JDK's Ed25519 (Nimbus signs EdDSA only through Tink). */
  private static String edDsa(PrivateKey key, String kid, JWTClaimsSet claims) throws Exception {
    String signingInput = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(JOSEObjectType.JWT).keyID(kid).build()
        .toBase64URL() + "." + Base64URL.encode(claims.toString());
    Signature signature = Signature.getInstance("Ed25519");
    signature.initSign(key);
    signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64URL.encode(signature.sign());
  }

  /** The OKP JWK of an Ed25519 public key: its raw 32 bytes follow the 12-byte SubjectPublicKeyInfo prefix. */
  private static OctetKeyPair okp(PublicKey key, String kid) {
    byte[] spki = key.getEncoded();
    return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, 12, spki.length)))
        .keyID(kid).build();
  }

  private static Reply get(String path, String token) {
    return send("GET", path, token, null);
  }

  private static Reply send(String method, String path, String token, String json) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).method(method, json == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return server.send(request);
  }
}
