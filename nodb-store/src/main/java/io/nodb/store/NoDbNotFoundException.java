package io.nodb.store;

import io.nodb.NoDbException;

/**
 * Thrown when a controller file (or its run directory) does not exist. {@code tryGetInstance}\n *
 * returns an empty {@code Optional} instead.
 */
public final class NoDbNotFoundException extends NoDbException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong, naming the file
   */
  public NoDbNotFoundException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong, naming the file
   * @param cause the underlying failure
   */
  public NoDbNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
