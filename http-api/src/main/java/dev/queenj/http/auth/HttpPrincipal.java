package dev.queenj.http.auth;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Who sent an HTTP request, as its verified JWT says: the token's {@code sub} (may be null when the token has none)
 * and the strongest {@link Role} it carries. Put into the {@link RoutingContext} under {@link #KEY} by the
 * authentication guard; absent when authentication is off, on public routes and on {@code JWT_SKIP_PATHS}.
 *
 * <p>For authorization beside Kafka's ACLs, {@link #aclName()} names the caller the way Kafka names a principal
 * ({@code User:<sub>}).
 */
public record HttpPrincipal(String subject, Role role) {
  /** The {@link RoutingContext} data key the principal is stored under. */
  public static final String KEY = "queen.principal";

  public HttpPrincipal {
    if (role == null) {
      throw new IllegalArgumentException("role is required");
    }
  }

  /** The request's principal, empty when the request was not authenticated. */
  public static Optional<HttpPrincipal> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(KEY));
  }

  /**
   * What pushes of this request store as their {@code producerSub}: the token's subject, or null without an
   * authenticated caller (never a value from the request body).
   */
  public static String producerSub(RoutingContext ctx) {
    return of(ctx).map(HttpPrincipal::subject).orElse(null);
  }

  /** {@code User:<sub>}, Kafka's principal notation, for ACL checks; {@code User:ANONYMOUS} without a subject. */
  public String aclName() {
    return "User:" + (subject == null || subject.isEmpty() ? "ANONYMOUS" : subject);
  }
}
