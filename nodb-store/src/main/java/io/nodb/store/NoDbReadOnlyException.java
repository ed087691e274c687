package io.nodb.store;

import io.nodb.NoDbException;

/**
 * Thrown when a run marked {@code READONLY} is asked to lock or dump a controller. Read-only runs
 * are\n * never cached and never written.
 */
public final class NoDbReadOnlyException extends NoDbException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong, naming the file
   */
  public NoDbReadOnlyException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong, naming the file
   * @param cause the underlying failure
   */
  public NoDbReadOnlyException(String message, Throwable cause) {
    super(message, cause);
  }
}
