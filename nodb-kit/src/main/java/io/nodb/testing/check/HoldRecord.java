package io.nodb.testing.check;

import io.nodb.lock.LockHandle;
import io.nodb.lock.ReleaseOutcome;
import java.util.Objects;

/**
 * One critical section as its holder recorded it: the lock, the fence of the acquisition, the
 * monotonic instants ({@link System#nanoTime()}) just after the acquire returned and just before
 * the release was sent, who held it, what its release reported, and until when the holder believed
 * itself valid (its handle's validity deadline as last seen: the lease from the acquire's send,
 * minus the safety margin, pushed on by every renewal; see {@link #validityDeadline}).
 *
 * <p>Every hold is recorded, whatever its release said. Its <em>validity window</em> ({@link
 * #validFromNanos()} to {@link #validToNanos()}) is the part of the body during which the holder
 * believed it owned the lock: the whole body for a {@link ReleaseOutcome#RELEASED} hold (the
 * release found the token still in place), and for any other outcome the body up to the last
 * validity deadline it saw. A hold whose lease lapsed silently is therefore still checked against
 * the time it acted as owner; a window may be empty (the lease ran out before the body started).
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
 * @param outcome what the release reported
 * @param validUntilNanos the holder's validity deadline as last seen (may be before {@code
 *     enterNanos} or after {@code exitNanos})
 */
public record HoldRecord(
    String key,
    long fence,
    long enterNanos,
    long exitNanos,
    long pid,
    String thread,
    ReleaseOutcome outcome,
    long validUntilNanos) {

  /** Validates the record. */
  public HoldRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(thread, "thread");
    Objects.requireNonNull(outcome, "outcome");
    if (exitNanos < enterNanos) {
      throw new IllegalArgumentException(
          "hold of " + key + " exits (" + exitNanos + ") before it enters (" + enterNanos + ")");
    }
  }

  /**
   * Returns the handle's validity deadline on the {@link System#nanoTime()} scale if it is still
   * valid, else {@code previous}: call it at the body's start (with {@code previous} = the start)
   * and again whenever the holder looks (at least just before the release), keeping the result.
   *
   * @param handle the holder's handle
   * @param previous the deadline seen last
   * @return the deadline now, or {@code previous} if the handle is no longer valid
   */
  public static long validityDeadline(LockHandle handle, long previous) {
    long now = System.nanoTime();
    long left = handle.remaining().toNanos(); // read after now: the sum never overshoots
    return left > 0 ? now + left : previous;
  }

  /** Returns whether the release reported the lock as still owned ({@code RELEASED}). */
  public boolean valid() {
    return outcome == ReleaseOutcome.RELEASED;
  }

  /** Returns the start of the validity window: the body's start. */
  public long validFromNanos() {
    return enterNanos;
  }

  /**
   * Returns the end of the validity window: the body's end for a {@code RELEASED} hold, else the
   * body's end or the last validity deadline seen, whichever came first.
   */
  public long validToNanos() {
    return valid() || validUntilNanos - exitNanos > 0 ? exitNanos : validUntilNanos;
  }

  /**
   * Returns whether the holder owned the lock, or believed it did, during some part of its body
   * (always for a {@code RELEASED} hold, even with an empty body).
   */
  public boolean hasValidityWindow() {
    return valid() || validToNanos() - enterNanos > 0;
  }

  /** Returns the record as one line: {@code key fence enter exit pid thread outcome validUntil}. */
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
        + outcome.name()
        + " "
        + validUntilNanos;
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
    if (p.length != 8) {
      throw new IllegalArgumentException("not a hold record: '" + line + "'");
    }
    return new HoldRecord(
        p[0],
        Long.parseLong(p[1]),
        Long.parseLong(p[2]),
        Long.parseLong(p[3]),
        Long.parseLong(p[4]),
        p[5],
        ReleaseOutcome.valueOf(p[6]),
        Long.parseLong(p[7]));
  }
}
