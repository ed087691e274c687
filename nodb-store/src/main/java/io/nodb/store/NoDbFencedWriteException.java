package io.nodb.store;

import io.nodb.NoDbException;

/**
 * Thrown by a fenced dump when the file on disk carries a higher fence than the writer's lock: a\n
 * * newer holder has written, so this (stale) holder must not. Nothing is written.
 */
public final class NoDbFencedWriteException extends NoDbException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong, naming the file
   */
  public NoDbFencedWriteException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong, naming the file
   * @param cause the underlying failure
   */
  public NoDbFencedWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
