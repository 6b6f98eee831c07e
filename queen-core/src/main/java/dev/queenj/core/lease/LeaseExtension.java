package dev.queenj.core.lease;

import java.time.OffsetDateTime;

/** The result of extending a lease: the new expiry, or why it could not be extended. */
public record LeaseExtension(boolean success, String error, OffsetDateTime expiresAt) {
  public static final String NOT_FOUND = "Lease not found";
  public static final String EXPIRED = "Lease already expired";
}
