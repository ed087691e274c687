package io.nodb.lock;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of who holds a lock, as recorded by the backend at the time it was read.
 *
 * <p>The token itself is a capability (whoever knows it can release the lock), so only a short
 * digest of it is exposed. A value written by something other than nodb is reported with {@code
 * host = "?"}, {@code pid = -1} and {@code fence = -1} rather than rejected, so operators can still
 * see and force it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the lock
 * @param tokenDigest the first 8 hex digits of the SHA-1 of the holder's token
 * @param host the holder's host name
 * @param pid the holder's process id, or -1 if unknown
 * @param thread the name of the thread that acquired the lock
 * @param acquiredAt when the lock was acquired, by the holder's wall clock
 * @param lease the lease the holder asked for
 * @param ttlLeft how long until the backend expires the lock unless it is renewed
 * @param fence the fencing number of this acquisition, or -1 if unknown
 */
public record LockInfo(
    LockKey key,
    String tokenDigest,
    String host,
    long pid,
    String thread,
    Instant acquiredAt,
    Duration lease,
    Duration ttlLeft,
    long fence) {

  /**
   * Returns how long the lock has been held at {@code now}.
   *
   * @param now the current wall-clock time
   * @return the time since {@link #acquiredAt()}, never negative
   */
  public Duration heldFor(Instant now) {
    Duration d = Duration.between(acquiredAt, now);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Returns {@code LockInfo[run/name held by <describe()>]}. */
  @Override
  public String toString() {
    return "LockInfo[" + key + " held by " + describe() + "]";
  }

  /** Returns a one-line description for logs and error messages. */
  public String describe() {
    return host
        + ":"
        + pid
        + " thread '"
        + thread
        + "' token "
        + tokenDigest
        + ", fence "
        + fence
        + ", TTL left "
        + ttlLeft.toMillis()
        + " ms";
  }
}
