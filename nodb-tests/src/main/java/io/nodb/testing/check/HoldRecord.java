package io.nodb.testing.check;

import java.util.Objects;

/**
 * One critical section as its holder recorded it: the lock, the fence of the acquisition, the
 * monotonic instants ({@link System#nanoTime()}) just after the acquire returned and just before
 * the release was sent, who held it, and whether the hold was valid (the release found the token
 * still in place, so the holder owned the lock for the whole interval).
 *
 * <p>On Linux {@code System.nanoTime()} reads {@code CLOCK_MONOTONIC}, which all processes of a
 * host share, so records of different worker JVMs on one host can be merged and compared.
 *
 * <p>Immutable and thread-safe. The one-line text form ({@link #toLine()}, {@link #parse}) is what
 * worker JVMs write to their hold files.
 *
 * @param key the lock, e.g. {@code run/key-0}
 * @param fence the fence of the acquisition
 * @param enterNanos when the body started (after the acquire returned)
 * @param exitNanos when the body ended (before the release was sent)
 * @param pid the holder's process id
 * @param thread the holder's thread name (no spaces)
 * @param valid whether the release reported the lock as still owned ({@code RELEASED})
 */
public record HoldRecord(
    String key,
    long fence,
    long enterNanos,
    long exitNanos,
    long pid,
    String thread,
    boolean valid) {

  /** Validates the record. */
  public HoldRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(thread, "thread");
    if (exitNanos < enterNanos) {
      throw new IllegalArgumentException(
          "hold of " + key + " exits (" + exitNanos + ") before it enters (" + enterNanos + ")");
    }
  }

  /** Returns the record as one line: {@code key fence enter exit pid thread valid}. */
  public String toLine() {
    return key
        + " "
        + fence
        + " "
        + enterNanos
        + " "
        + exitNanos
        + " "
        + pid
        + " "
        + thread.replace(' ', '_')
        + " "
        + (valid ? "valid" : "invalid");
  }

  /**
   * Parses a line written by {@link #toLine()}.
   *
   * @param line the line
   * @return the record
   * @throws IllegalArgumentException if the line is not a hold record
   */
  public static HoldRecord parse(String line) {
    String[] p = line.trim().split(" ");
    if (p.length != 7) {
      throw new IllegalArgumentException("not a hold record: '" + line + "'");
    }
    return new HoldRecord(
        p[0],
        Long.parseLong(p[1]),
        Long.parseLong(p[2]),
        Long.parseLong(p[3]),
        Long.parseLong(p[4]),
        p[5],
        p[6].equals("valid"));
  }
}
