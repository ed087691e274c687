package io.nodb.store;

import io.nodb.NoDbException;

/**
 * Thrown by a fenced dump when the file on disk is not the version the mutation started from:\n *
 * another writer committed in between, so writing would lose its update. Nothing is written.
 */
public final class NoDbStaleWriteException extends NoDbException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong, naming the file
   */
  public NoDbStaleWriteException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong, naming the file
   * @param cause the underlying failure
   */
  public NoDbStaleWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
