package io.nodb.bench;

import java.util.Arrays;

/**
 * A growable list of {@code long} samples (nanoseconds or timestamps) with nearest-rank
 * percentiles.
 *
 * <p>Not thread-safe: each recording thread owns its own instance; merge them afterwards with
 * {@link #addAll}.
 */
final class Samples {

  private long[] values;
  private int size;

  Samples(int initialCapacity) {
    values = new long[Math.max(16, initialCapacity)];
  }

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[size++] = value;
  }

  void addAll(Samples other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  int size() {
    return size;
  }

  long get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("sample " + i + " of " + size);
    }
    return values[i];
  }

  /** Returns a sorted copy of the samples. */
  long[] sorted() {
    long[] copy = Arrays.copyOf(values, size);
    Arrays.sort(copy);
    return copy;
  }

  /**
   * Returns the nearest-rank percentile of {@code sorted}.
   *
   * @param sorted ascending samples, not empty
   * @param q the quantile in (0, 1]
   * @return the smallest sample with at least {@code q} of the samples at or below it
   */
  static long percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  /** Returns the median of {@code values} (mean of the middle two for an even count). */
  static double median(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    int n = copy.length;
    return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
  }
}
