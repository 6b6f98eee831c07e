package dev.queenj.core.streams;

import java.math.BigDecimal;
import java.util.List;

/**
 * The optional filters of a state read, combined with AND; null means no filter. {@code keyPrefix} is literal text
 * (no wildcards); {@code ripeAtOrBefore} keeps rows whose {@code value.windowEnd} is a number not above it.
 */
public record StateFilter(List<String> keys, String keyPrefix, BigDecimal ripeAtOrBefore) {
  public static final StateFilter NONE = new StateFilter(null, null, null);
}
