package dev.queenj.core.resources;

import java.time.OffsetDateTime;
import java.util.function.Function;

/**
 * Numbers taken from a shared read of the message counts, with when that read started: an answer says how old its
 * counts are.
 */
public record Counted<T>(T value, OffsetDateTime readAt) {

  public <R> Counted<R> map(Function<T, R> f) {
    return new Counted<>(f.apply(value), readAt);
  }
}
