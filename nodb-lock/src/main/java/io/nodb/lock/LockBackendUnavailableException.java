package io.nodb.lock;

import io.nodb.NoDbException;

/**
 * Thrown when the lock backend cannot be reached or did not answer within its connect or read
 * timeout (Redis down, paused, refusing connections, an unknown host, or a lock directory that
 * cannot be written), or refuses this client's configuration (wrong password or user, a database
 * out of range, missing ACL permissions): then {@link #isConfigurationError()} is true and retrying
 * cannot help. The message names the backend (without credentials) and the operation; the cause is
 * the underlying error.
 */
public final class LockBackendUnavailableException extends NoDbException {

  private final boolean configurationError;

  /**
   * Creates the exception for a backend that cannot be reached or did not answer.
   *
   * @param message the backend and the operation that failed
   * @param cause the transport error
   */
  public LockBackendUnavailableException(String message, Throwable cause) {
    this(message, cause, false);
  }

  /**
   * Creates the exception.
   *
   * @param message the backend and the operation that failed
   * @param cause the underlying error
   * @param configurationError true when the backend refused this client's configuration
   *     (credentials, database, permissions) rather than being unreachable
   */
  public LockBackendUnavailableException(
      String message, Throwable cause, boolean configurationError) {
    super(message, cause);
    this.configurationError = configurationError;
  }

  /**
   * Returns whether the backend answered but refused this client's configuration (authentication,
   * database number, ACL permissions): fix the URL or the server's ACL; retrying cannot help.
   *
   * @return true for a configuration error, false for an unreachable or silent backend
   */
  public boolean isConfigurationError() {
    return configurationError;
  }
}
