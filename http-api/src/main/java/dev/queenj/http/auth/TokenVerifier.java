package dev.queenj.http.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a bearer token with Nimbus JOSE+JWT (signature, {@code exp}/{@code nbf} with JWT_CLOCK_SKEW,
 * JWT_ISSUER, JWT_AUDIENCE) and reads its subject and role. HS256 tokens are checked against JWT_SECRET, RS256 (and
 * RS384/RS512) and EdDSA tokens against JWT_PUBLIC_KEY or the JWKS, as JWT_ALGORITHM allows; a token signed any
 * other way is refused, so a public key can never be used as an HMAC secret. EdDSA signatures are checked by the
 * JDK ({@link VerifierFactory}), not by Nimbus' Tink-based verifier.
 */
final class TokenVerifier {
  static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);

  private final JwtConfig config;
  private final SecretKeySpec secret;
  private final PublicKey publicKey;
  private final JwksCache jwks;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  /** @throws IllegalArgumentException naming the setting whose key material is unusable */
  TokenVerifier(Vertx vertx, JwtConfig config) {
    this.config = config;
    this.secret = config.acceptsHmac() ? hmacKey(config.secret()) : null;
    boolean publicKeys = config.acceptsRsa() || config.acceptsEdDsa();
    this.publicKey = publicKeys && !config.publicKey().isEmpty() ? publicKey(config) : null;
    this.jwks = publicKeys && publicKey == null
        ? new JwksCache(vertx, config.jwksUrl(), config.jwksTimeoutMs(), config.jwksRefreshSeconds()) : null;
    processor.setJWSKeySelector((header, context) -> keysFor(header));
    processor.setJWSVerifierFactory(new VerifierFactory());
    // access tokens of OAuth servers are typed at+jwt (RFC 9068); untyped and JWT tokens are the usual case
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
        new JOSEObjectType("at+jwt"), null));
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    if (!config.issuer().isEmpty()) {
      exact.issuer(config.issuer());
    }
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        config.audience().isEmpty() ? null : Set.of(config.audience()), exact.build(), Set.of(), Set.of());
    claims.setMaxClockSkew(config.clockSkewSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * The token's principal; fails with {@link Rejected} for a token that is malformed, badly signed, expired, not
   * yet valid, or from the wrong issuer or for the wrong audience.
   */
  Future<HttpPrincipal> verify(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return Future.failedFuture(new Rejected("not a signed JWT: " + e.getMessage()));
    }
    JWSHeader header = jwt.getHeader();
    if (jwks != null && signedWithPublicKey(header.getAlgorithm()) && jwks.keysFor(header).isEmpty()) {
      // a key id we have not seen: the issuer may have rotated its keys since the last fetch
      return jwks.refresh().transform(refreshedOrNot -> process(jwt));
    }
    return process(jwt);
  }

  private Future<HttpPrincipal> process(SignedJWT jwt) {
    try {
      return Future.succeededFuture(principal(processor.process(jwt, null)));
    } catch (BadJOSEException | JOSEException e) {
      return Future.failedFuture(new Rejected(e.getMessage()));
    }
  }

  private List<? extends Key> keysFor(JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    if (JWSAlgorithm.HS256.equals(alg) && secret != null) {
      return List.of(secret);
    }
    if (!signedWithPublicKey(alg)) {
      return List.of();
    }
    if (publicKey != null) {
      boolean fits = RSA_ALGORITHMS.contains(alg) ? publicKey instanceof RSAPublicKey
          : EdDsaKeys.fits(alg, publicKey);
      return fits ? List.of(publicKey) : List.of();
    }
    return jwks != null ? jwks.keysFor(header) : List.of();
  }

  /** An RSA or EdDSA algorithm that JWT_ALGORITHM accepts. */
  private boolean signedWithPublicKey(JWSAlgorithm alg) {
    return RSA_ALGORITHMS.contains(alg) && config.acceptsRsa()
        || EdDsaKeys.ALGORITHMS.contains(alg) && config.acceptsEdDsa();
  }

  /** The strongest role named by JWT_ROLES_CLAIM (a string) or JWT_ROLES_ARRAY_CLAIM (an array of strings). */
  private HttpPrincipal principal(JWTClaimsSet claims) {
    Role role = Role.NONE;
    Object single = claims.getClaim(config.rolesClaim());
    if (single instanceof String name) {
      role = stronger(role, roleNamed(name));
    }
    Object array = claims.getClaim(config.rolesArrayClaim());
    if (array instanceof List<?> names) {
      for (Object name : names) {
        if (name instanceof String text) {
          role = stronger(role, roleNamed(text));
        }
      }
    }
    return new HttpPrincipal(claims.getSubject(), role);
  }

  private Role roleNamed(String name) {
    if (name.equals(config.roleAdmin())) {
      return Role.ADMIN;
    }
    if (name.equals(config.roleReadWrite())) {
      return Role.READ_WRITE;
    }
    return name.equals(config.roleReadOnly()) ? Role.READ_ONLY : Role.NONE;
  }

  private static Role stronger(Role a, Role b) {
    return a.covers(b) ? a : b;
  }

  void close() {
    if (jwks != null) {
      jwks.close();
    }
  }

  /** Nimbus refuses HMAC secrets shorter than the hash (RFC 7518 §3.2): 32 bytes for HS256. */
  private static SecretKeySpec hmacKey(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    try {
      new MACVerifier(bytes);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("JWT_SECRET must be at least 32 bytes for HS256 (RFC 7518 section 3.2), "
          + "got " + bytes.length);
    }
    return new SecretKeySpec(bytes, "HmacSHA256");
  }

  /**
   * JWT_PUBLIC_KEY: a PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) holding an RSA key (JWT_ALGORITHM=RS256),
   * an Ed25519 or Ed448 key (EdDSA), or either (auto); literal {@code \n} are newlines.
   */
  static PublicKey publicKey(JwtConfig config) {
    String kinds = config.acceptsRsa() && config.acceptsEdDsa() ? "RSA, Ed25519 or Ed448"
        : config.acceptsRsa() ? "RSA" : "Ed25519 or Ed448";
    String text = config.publicKey().replace("\\n", "\n").trim();
    if (!text.startsWith("-----BEGIN PUBLIC KEY-----") || !text.contains("-----END PUBLIC KEY-----")) {
      throw new IllegalArgumentException("JWT_PUBLIC_KEY must be a PEM public key between -----BEGIN PUBLIC KEY----- "
          + "and -----END PUBLIC KEY-----");
    }
    String body = text.substring("-----BEGIN PUBLIC KEY-----".length(), text.indexOf("-----END PUBLIC KEY-----"));
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("JWT_PUBLIC_KEY is not a readable " + kinds + " public key: "
          + e.getMessage());
    }
    GeneralSecurityException failure = null;
    if (config.acceptsRsa()) {
      try {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        failure = e;
      }
    }
    if (config.acceptsEdDsa()) {
      try {
        return EdDsaKeys.fromSpki(der);
      } catch (GeneralSecurityException e) {
        failure = failure == null ? e : failure;
      }
    }
    throw new IllegalArgumentException("JWT_PUBLIC_KEY is not a readable " + kinds + " public key"
        + (failure == null ? "" : ": " + failure.getMessage()));
  }

  /** A token that does not authenticate its bearer; the reason is for the debug log, never for the client. */
  static final class Rejected extends RuntimeException {
    Rejected(String reason) {
      super(reason, null, false, false);
    }
  }
}
