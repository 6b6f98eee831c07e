package dev.queenj.core.trace;

import dev.queenj.core.error.InvalidRequestException;

/** A page of a list: at most {@link #MAX_LIMIT} rows, skipping {@code offset}. */
public record Paging(int limit, int offset) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1_000;

  public Paging {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0) {
      throw new InvalidRequestException("offset must not be negative");
    }
  }
}
