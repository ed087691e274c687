package io.nodb.store;

import io.nodb.NoDbException;

/**
 * Thrown when a dump is attempted without a valid lock handle on the controller file: {@code
 * cannot\n * dump to unlocked db: <path>}.
 */
public final class NoDbNotLockedException extends NoDbException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong, naming the file
   */
  public NoDbNotLockedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong, naming the file
   * @param cause the underlying failure
   */
  public NoDbNotLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
