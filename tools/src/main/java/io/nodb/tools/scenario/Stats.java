package io.nodb.tools.scenario;

import java.util.Arrays;
import java.util.Collection;

/**
 * Percentiles of a set of durations, in milliseconds. Immutable.
 *
 * @param count how many samples
 * @param p50Millis the median (nearest rank)
 * @param p99Millis the 99th percentile (nearest rank)
 * @param maxMillis the largest sample
 */
public record Stats(int count, double p50Millis, double p99Millis, double maxMillis) {

  /**
   * Computes the percentiles of samples given in nanoseconds.
   *
   * @param nanos the samples; may be empty (then every value is 0)
   * @return the statistics
   */
  static Stats ofNanos(Collection<Long> nanos) {
    long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (s.length == 0) {
      return new Stats(0, 0, 0, 0);
    }
    return new Stats(s.length, rank(s, 0.50), rank(s, 0.99), s[s.length - 1] / 1e6);
  }

  private static double rank(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  @Override
  public String toString() {
    return Arrays.toString(new double[] {p50Millis, p99Millis, maxMillis});
  }
}
