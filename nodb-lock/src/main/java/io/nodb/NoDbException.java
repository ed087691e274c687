package io.nodb;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception nodb throws on purpose: lock timeouts and losses, an unavailable
 * backend, invalid run ids, and (with the store) stale, fenced, corrupt or read-only writes.
 *
 * <p>It is unchecked, so callers catch only what they can act on. Messages name the run, the
 * controller file and the owner where they are known; the cause is always chained.
 */
public class NoDbException extends RuntimeException {

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, naming the thing at fault
   */
  public NoDbException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and its cause.
   *
   * @param message what went wrong, naming the thing at fault
   * @param cause the underlying failure, or null if there is none
   */
  public NoDbException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
