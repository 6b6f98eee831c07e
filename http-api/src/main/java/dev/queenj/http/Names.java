package dev.queenj.http;

import dev.queenj.core.error.InvalidRequestException;

/**
 * Names that end up as keys of unique indexes: queue, partition, transaction id and consumer group. Checked at the
 * edge so that a bad one is a clear 400 before anything is written (an auto-created queue included), rather than a
 * Postgres error halfway through: Postgres text cannot hold NUL, and a btree entry cannot exceed about 2.7 kB.
 * 255 characters is the spec's cap on transaction ids (§1), applied to every name.
 */
public final class Names {
  public static final int MAX_LENGTH = 255;

  private Names() {}

  /** The name itself, or null for null; 400 when it is too long or contains a NUL character. */
  public static String check(String field, String name) {
    if (name == null) {
      return null;
    }
    if (name.length() > MAX_LENGTH) {
      throw new InvalidRequestException(field + " must be at most " + MAX_LENGTH + " characters");
    }
    if (name.indexOf('\0') >= 0) {
      throw new InvalidRequestException(field + " must not contain NUL characters");
    }
    return name;
  }
}
