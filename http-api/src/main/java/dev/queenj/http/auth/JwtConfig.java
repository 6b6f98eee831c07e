package dev.queenj.http.auth;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * JWT authentication of the native HTTP API, with Queen's settings and defaults so that a Queen deployment's
 * configuration carries over (README, "Authentication (HTTP)").
 *
 * @param enabled JWT_ENABLED: off by default
 * @param algorithm JWT_ALGORITHM: {@code HS256}, {@code RS256} (also accepts RS384/RS512 tokens, as Queen does),
 *     {@code EdDSA} (Ed25519 or Ed448 keys) or {@code auto} (any of them, by the token's header, where a key is set)
 * @param secret JWT_SECRET: the HS256 shared secret
 * @param publicKey JWT_PUBLIC_KEY: a PEM RSA, Ed25519 or Ed448 public key ({@code -----BEGIN PUBLIC KEY-----})
 * @param jwksUrl JWT_JWKS_URL: where the RSA and OKP keys are fetched from (used when JWT_PUBLIC_KEY is unset)
 * @param jwksRefreshSeconds JWT_JWKS_REFRESH_INTERVAL: seconds between JWKS refreshes
 * @param jwksTimeoutMs JWT_JWKS_TIMEOUT_MS: bound on connecting to and reading the JWKS URL
 * @param issuer JWT_ISSUER: the required {@code iss}, empty accepts any
 * @param audience JWT_AUDIENCE: a value {@code aud} must contain, empty accepts any
 * @param clockSkewSeconds JWT_CLOCK_SKEW: tolerance on {@code exp} and {@code nbf}
 * @param skipPaths JWT_SKIP_PATHS: paths served without authentication; an entry ending in {@code /} (other than
 *     {@code /} itself) also covers every path below it
 * @param rolesClaim JWT_ROLES_CLAIM: claim holding one role as a string
 * @param rolesArrayClaim JWT_ROLES_ARRAY_CLAIM: claim holding an array of roles
 * @param roleAdmin JWT_ROLE_ADMIN, roleReadWrite JWT_ROLE_READ_WRITE, roleReadOnly JWT_ROLE_READ_ONLY: the claim
 *     values naming each {@link Role}
 */
public record JwtConfig(boolean enabled, String algorithm, String secret, String publicKey, String jwksUrl,
    int jwksRefreshSeconds, int jwksTimeoutMs, String issuer, String audience, int clockSkewSeconds,
    List<String> skipPaths, String rolesClaim, String rolesArrayClaim, String roleAdmin, String roleReadWrite,
    String roleReadOnly) {

  public static final String DEFAULT_ALGORITHM = "HS256";
  public static final int DEFAULT_JWKS_REFRESH_SECONDS = 3600;
  public static final int DEFAULT_JWKS_TIMEOUT_MS = 5000;
  public static final int DEFAULT_CLOCK_SKEW_SECONDS = 30;
  /** Queen's default; our public routes (/health*, /metrics/prometheus) are public whatever this says. */
  public static final String DEFAULT_SKIP_PATHS = "/health,/metrics,/";
  public static final String DEFAULT_ROLES_CLAIM = "role";
  public static final String DEFAULT_ROLES_ARRAY_CLAIM = "roles";
  public static final String DEFAULT_ROLE_ADMIN = "admin";
  public static final String DEFAULT_ROLE_READ_WRITE = "read-write";
  public static final String DEFAULT_ROLE_READ_ONLY = "read-only";

  /** Authentication off: every route is open, as without any JWT_* setting. */
  public static final JwtConfig DISABLED = new JwtConfig(false, DEFAULT_ALGORITHM, "", "", "",
      DEFAULT_JWKS_REFRESH_SECONDS, DEFAULT_JWKS_TIMEOUT_MS, "", "", DEFAULT_CLOCK_SKEW_SECONDS,
      skipPathList(DEFAULT_SKIP_PATHS), DEFAULT_ROLES_CLAIM, DEFAULT_ROLES_ARRAY_CLAIM, DEFAULT_ROLE_ADMIN,
      DEFAULT_ROLE_READ_WRITE, DEFAULT_ROLE_READ_ONLY);

  /** @throws IllegalArgumentException naming the JWT_* setting that is wrong, when authentication is enabled */
  public JwtConfig {
    algorithm = algorithm == null || algorithm.isBlank() ? DEFAULT_ALGORITHM : algorithm.trim();
    secret = nullToEmpty(secret);
    publicKey = nullToEmpty(publicKey).trim();
    jwksUrl = nullToEmpty(jwksUrl).trim();
    issuer = nullToEmpty(issuer).trim();
    audience = nullToEmpty(audience).trim();
    skipPaths = skipPaths == null ? List.of() : List.copyOf(skipPaths);
    rolesClaim = orDefault(rolesClaim, DEFAULT_ROLES_CLAIM);
    rolesArrayClaim = orDefault(rolesArrayClaim, DEFAULT_ROLES_ARRAY_CLAIM);
    roleAdmin = orDefault(roleAdmin, DEFAULT_ROLE_ADMIN);
    roleReadWrite = orDefault(roleReadWrite, DEFAULT_ROLE_READ_WRITE);
    roleReadOnly = orDefault(roleReadOnly, DEFAULT_ROLE_READ_ONLY);
    if (enabled) {
      validate(algorithm, secret, publicKey, jwksUrl, jwksRefreshSeconds, jwksTimeoutMs, clockSkewSeconds);
    }
  }

  private static void validate(String algorithm, String secret, String publicKey, String jwksUrl,
      int jwksRefreshSeconds, int jwksTimeoutMs, int clockSkewSeconds) {
    String alg = algorithm.toUpperCase(Locale.ROOT);
    if (!alg.equals("HS256") && !alg.equals("RS256") && !alg.equals("EDDSA") && !alg.equals("AUTO")) {
      throw new IllegalArgumentException("JWT_ALGORITHM must be HS256, RS256, EdDSA or auto, got '" + algorithm
          + "'");
    }
    boolean publicKeys = !publicKey.isEmpty() || !jwksUrl.isEmpty();
    if (alg.equals("HS256") && secret.isEmpty()) {
      throw new IllegalArgumentException("JWT_ENABLED=true with JWT_ALGORITHM=HS256 needs JWT_SECRET");
    }
    if ((alg.equals("RS256") || alg.equals("EDDSA")) && !publicKeys) {
      throw new IllegalArgumentException("JWT_ENABLED=true with JWT_ALGORITHM=" + algorithm + " needs "
          + "JWT_PUBLIC_KEY or JWT_JWKS_URL");
    }
    if (alg.equals("AUTO") && secret.isEmpty() && !publicKeys) {
      throw new IllegalArgumentException("JWT_ENABLED=true with JWT_ALGORITHM=auto needs JWT_SECRET, "
          + "JWT_PUBLIC_KEY or JWT_JWKS_URL");
    }
    if (!jwksUrl.isEmpty()) {
      URI uri;
      try {
        uri = URI.create(jwksUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("JWT_JWKS_URL is not a URL: '" + jwksUrl + "'");
      }
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("JWT_JWKS_URL must be an http:// or https:// URL, got '" + jwksUrl + "'");
      }
    }
    if (jwksRefreshSeconds < 1) {
      throw new IllegalArgumentException("JWT_JWKS_REFRESH_INTERVAL must be at least 1 second");
    }
    if (jwksTimeoutMs < 1) {
      throw new IllegalArgumentException("JWT_JWKS_TIMEOUT_MS must be at least 1 ms");
    }
    if (clockSkewSeconds < 0) {
      throw new IllegalArgumentException("JWT_CLOCK_SKEW must not be negative");
    }
  }

  /** Tokens signed with the shared secret are accepted. */
  public boolean acceptsHmac() {
    return (algorithm.equalsIgnoreCase("HS256") || isAuto()) && !secret.isEmpty();
  }

  /** Tokens signed with an RSA key (static or from the JWKS) are accepted. */
  public boolean acceptsRsa() {
    return (algorithm.equalsIgnoreCase("RS256") || isAuto()) && hasPublicKeys();
  }

  /** Tokens signed with an Ed25519 or Ed448 key (static or from the JWKS) are accepted. */
  public boolean acceptsEdDsa() {
    return (algorithm.equalsIgnoreCase("EdDSA") || isAuto()) && hasPublicKeys();
  }

  private boolean isAuto() {
    return algorithm.equalsIgnoreCase("auto");
  }

  private boolean hasPublicKeys() {
    return !publicKey.isEmpty() || !jwksUrl.isEmpty();
  }

  /** Queen's rule: an exact match, or a prefix match for entries ending in {@code /} that are longer than it. */
  public boolean skips(String path) {
    for (String skip : skipPaths) {
      if (path.equals(skip) || skip.length() > 1 && skip.endsWith("/") && path.startsWith(skip)) {
        return true;
      }
    }
    return false;
  }

  /** A comma-separated JWT_SKIP_PATHS value as a list, blanks dropped. */
  public static List<String> skipPathList(String commaSeparated) {
    if (commaSeparated == null) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** Where the verifying keys come from, for the start-up log; never the secret itself. */
  public String describeKeys() {
    StringBuilder out = new StringBuilder("algorithm ").append(algorithm);
    if (acceptsHmac()) {
      out.append(", shared secret (JWT_SECRET)");
    }
    if (acceptsRsa() || acceptsEdDsa()) {
      String kinds = acceptsRsa() && acceptsEdDsa() ? "RSA or EdDSA" : acceptsRsa() ? "RSA" : "EdDSA";
      out.append(publicKey.isEmpty() ? ", " + kinds + " keys from JWKS " + jwksUrl + " (refreshed every "
          + jwksRefreshSeconds + " s)" : ", static " + kinds + " public key (JWT_PUBLIC_KEY)");
    }
    out.append(issuer.isEmpty() ? ", any issuer" : ", issuer " + issuer);
    out.append(audience.isEmpty() ? ", any audience" : ", audience " + audience);
    return out.append(", clock skew ").append(clockSkewSeconds).append(" s").toString();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
