package dev.queenj.http.auth;

/**
 * What a caller may do on the native HTTP API, each role including the ones before it:
 * {@code ADMIN ⊃ READ_WRITE ⊃ READ_ONLY}. {@link #NONE} is a token without any recognised role, and as a route's
 * requirement it means the route is public.
 */
public enum Role {
  NONE, READ_ONLY, READ_WRITE, ADMIN;

  /** Whether a caller holding this role may use a route that requires {@code required}. */
  public boolean covers(Role required) {
    return compareTo(required) >= 0;
  }
}
