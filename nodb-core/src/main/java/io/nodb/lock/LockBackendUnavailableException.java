package io.nodb.lock;

import io.nodb.NoDbException;

/**
 * Thrown when the lock backend cannot be reached or did not answer within its connect or read
 * timeout (Redis down, paused, refusing connections, or a lock directory that cannot be written).
 * The message names the backend (without credentials) and the operation; the cause is the transport
 * error.
 */
public final class LockBackendUnavailableException extends NoDbException {

  /**
   * Creates the exception.
   *
   * @param message the backend and the operation that failed
   * @param cause the transport error
   */
  public LockBackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
