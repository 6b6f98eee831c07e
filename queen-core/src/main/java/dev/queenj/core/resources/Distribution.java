package dev.queenj.core.resources;

import java.util.Arrays;

/** Average, median and extremes of a set of measurements; all 0 for an empty set. */
public record Distribution(double avg, double median, long min, long max) {

  public static Distribution of(long[] values) {
    if (values.length == 0) {
      return new Distribution(0, 0, 0, 0);
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    return new Distribution(Arrays.stream(sorted).average().orElse(0), median, sorted[0], sorted[n - 1]);
  }
}
