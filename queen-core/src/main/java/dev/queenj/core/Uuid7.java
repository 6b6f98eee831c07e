package dev.queenj.core;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered UUIDs (RFC 9562 version 7): message ids sort by creation time. Monotonic within this JVM (RFC 9562
 * §6.2 method 2): an id made in the same millisecond as the previous one, or while the clock stepped back, is the
 * previous one plus one, so ids made one after another (a batch's items in order) strictly increase.
 */
public final class Uuid7 {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long VARIANT = 0x8000000000000000L;
  private static final long RAND_B = 0x3FFFFFFFFFFFFFFFL;
  private static long lastMsb;
  private static long lastLsb;

  private Uuid7() {}

  public static synchronized UUID next() {
    long millis = System.currentTimeMillis();
    long msb = (millis << 16) | (0x7L << 12) | RANDOM.nextInt(1 << 12);
    long lsb = (RANDOM.nextLong() & RAND_B) | VARIANT;
    if ((msb >>> 16) <= (lastMsb >>> 16)) {
      msb = lastMsb;
      lsb = lastLsb + 1;
      if ((lsb & RAND_B) == 0) { // rand_b wrapped: carry into rand_a, then into the timestamp
        lsb = VARIANT;
        msb = (msb & 0xFFF) == 0xFFF ? (((msb >>> 16) + 1) << 16) | (0x7L << 12) : msb + 1;
      }
    }
    lastMsb = msb;
    lastLsb = lsb;
    return new UUID(msb, lsb);
  }
}
