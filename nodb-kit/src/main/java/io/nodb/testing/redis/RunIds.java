package io.nodb.testing.redis;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Makes run ids for tests that share one Redis server and isolate their keys by run id.
 *
 * <p>An id is {@code prefix-pid-counter-random}: the process id and a per-JVM counter make it
 * unique in this host's JVMs, the random part makes a collision across hosts improbable. Every id
 * matches the run-id grammar {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class RunIds {

  /** The grammar every run id matches. */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** The longest prefix accepted, so the whole id stays within 128 characters. */
  public static final int MAX_PREFIX_LENGTH = 64;

  private static final AtomicLong COUNTER = new AtomicLong();
  private static final long PID = ProcessHandle.current().pid();

  private RunIds() {}

  /**
   * Returns a new run id starting with {@code prefix + "-"}.
   *
   * @param prefix a readable tag such as the test name; matches the run-id grammar and has at most
   *     {@value #MAX_PREFIX_LENGTH} characters
   * @return an id no other call, in this or another JVM, returns (barring a 1 in 2^40 collision
   *     across hosts)
   * @throws IllegalArgumentException if the prefix is too long or breaks the grammar
   * @throws NullPointerException if the prefix is null
   */
  public static String unique(String prefix) {
    if (prefix.length() > MAX_PREFIX_LENGTH || !RUN_ID.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "run id prefix must match "
              + RUN_ID.pattern()
              + " and have at most "
              + MAX_PREFIX_LENGTH
              + " characters: '"
              + prefix
              + "'");
    }
    long random = ThreadLocalRandom.current().nextLong() & 0xFF_FFFF_FFFFL;
    return String.format(
        Locale.ROOT, "%s-%d-%d-%010x", prefix, PID, COUNTER.incrementAndGet(), random);
  }
}
