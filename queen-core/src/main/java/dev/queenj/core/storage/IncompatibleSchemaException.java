package dev.queenj.core.storage;

/**
 * The database's schema is not one this build can run on: an applied script was changed since, or a newer build
 * applied scripts this one does not know. Raised before anything is migrated; the message is one line that names the
 * scripts and says what to do.
 */
public final class IncompatibleSchemaException extends RuntimeException {
  IncompatibleSchemaException(String message) {
    super(message);
  }
}
