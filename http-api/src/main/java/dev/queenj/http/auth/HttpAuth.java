package dev.queenj.http.auth;

import dev.queenj.http.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer-token authentication of the native HTTP API (spec §2 "Auth"): a request to a non-public route needs
 * {@code Authorization: Bearer <JWT>} whose token verifies (else 401 {@code "Authentication required"}) and carries
 * a role covering the route's (else 403 {@code "Insufficient permissions"}). The verified caller is put into the
 * request as an {@link HttpPrincipal}. Which route needs which role is {@link RouteRoles}' table.
 */
public final class HttpAuth {
  private static final Logger LOG = LoggerFactory.getLogger(HttpAuth.class);
  static final String AUTHENTICATION_REQUIRED = "Authentication required";
  static final String INSUFFICIENT_PERMISSIONS = "Insufficient permissions";

  private final JwtConfig config;
  private final TokenVerifier verifier;

  private HttpAuth(JwtConfig config, TokenVerifier verifier) {
    this.config = config;
    this.verifier = verifier;
  }

  /**
   * Authentication as configured, logging once whether it is on and where its keys come from (never a secret).
   *
   * @throws IllegalArgumentException naming the JWT_* setting whose key material is unusable
   */
  public static HttpAuth create(Vertx vertx, JwtConfig config) {
    if (!config.enabled()) {
      LOG.info("HTTP authentication is off (JWT_ENABLED=false): every native HTTP API route is open");
      return new HttpAuth(config, null);
    }
    HttpAuth auth = new HttpAuth(config, new TokenVerifier(vertx, config));
    LOG.info("HTTP authentication is on: bearer JWTs, {}; skipped paths {}", config.describeKeys(),
        config.skipPaths());
    return auth;
  }

  public boolean enabled() {
    return verifier != null;
  }

  /** The handler in front of every route that needs {@code required}; it calls the next handler once admitted. */
  Handler<RoutingContext> guard(Role required) {
    return ctx -> {
      if (config.skips(ctx.normalizedPath())) {
        ctx.next();
        return;
      }
      String token = bearerToken(ctx.request().getHeader("Authorization"));
      if (token == null) {
        unauthenticated(ctx);
        return;
      }
      verifier.verify(token).onComplete(verified -> {
        if (verified.failed()) {
          LOG.debug("{} {}: token refused: {}", ctx.request().method(), ctx.request().path(),
              verified.cause().getMessage());
          unauthenticated(ctx);
        } else if (!verified.result().role().covers(required)) {
          HttpErrors.send(ctx, 403, INSUFFICIENT_PERMISSIONS);
        } else {
          ctx.put(HttpPrincipal.KEY, verified.result());
          ctx.next();
        }
      });
    };
  }

  /** 401, naming the scheme expected (RFC 6750 section 3). */
  private static void unauthenticated(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    HttpErrors.send(ctx, 401, AUTHENTICATION_REQUIRED);
  }

  private static String bearerToken(String authorization) {
    if (authorization == null || authorization.length() <= 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  public void close() {
    if (verifier != null) {
      verifier.close();
    }
  }
}
