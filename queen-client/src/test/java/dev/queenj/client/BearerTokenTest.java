package dev.queenj.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.queenj.http.auth.JwtConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The bearer token supplier against a server with JWT on (HS256): asked per request, roles enforced. */
class BearerTokenTest {
  private static final String SECRET = "a-client-test-secret-of-at-least-32-bytes";

  @Test
  void theSuppliedTokenAuthenticatesEveryRequest() {
    JwtConfig jwt = new JwtConfig(true, "HS256", SECRET, "", "", JwtConfig.DEFAULT_JWKS_REFRESH_SECONDS,
        JwtConfig.DEFAULT_JWKS_TIMEOUT_MS, "", "", JwtConfig.DEFAULT_CLOCK_SKEW_SECONDS,
        JwtConfig.skipPathList(JwtConfig.DEFAULT_SKIP_PATHS), JwtConfig.DEFAULT_ROLES_CLAIM,
        JwtConfig.DEFAULT_ROLES_ARRAY_CLAIM, JwtConfig.DEFAULT_ROLE_ADMIN, JwtConfig.DEFAULT_ROLE_READ_WRITE,
        JwtConfig.DEFAULT_ROLE_READ_ONLY);
    AtomicReference<String> token = new AtomicReference<>();
    AtomicInteger asked = new AtomicInteger();
    try (TestBroker broker = TestBroker.start(jwt);
        QueenClient client = QueenClient.builder(broker.url()).requestTimeout(Duration.ofSeconds(5))
            .bearerToken(() -> {
              asked.incrementAndGet();
              return token.get();
            }).build()) {
      BlockingQueenClient queen = client.blocking();
      PushItem item = PushItem.of("client-jwt", "secret");

      assertThatThrownBy(() -> queen.push(item)).isInstanceOfSatisfying(QueenException.Unauthorized.class,
          e -> assertThat(e.status()).isEqualTo(401));
      token.set(token("reader", "read-only"));
      assertThatThrownBy(() -> queen.push(item)).isInstanceOfSatisfying(QueenException.Unauthorized.class, e -> {
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("Insufficient permissions");
      });
      token.set(token("writer", "read-write"));
      assertThat(queen.push(List.of(item))).extracting(PushResult::status).containsExactly(PushStatus.QUEUED);
      assertThat(queen.pop(PopRequest.from("client-jwt").autoAck(true)).messages())
          .extracting(Message::producerSub).containsExactly("writer");
      assertThat(asked).as("once per request").hasValue(4);
    }
  }

  private static String token(String subject, String role) {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).claim(JwtConfig.DEFAULT_ROLES_CLAIM, role)
        .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(SECRET));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
