package io.nodb;

/**
 * Thrown when a lock namespace that is not a run is not acceptable: its kind or its id is empty,
 * too long, or has characters outside the allowed set (see {@link io.nodb.lock.LockNamespace}). An
 * invalid <em>run</em> id is an {@link InvalidRunIdException} instead.
 *
 * <p>The message names the namespace kind, quotes the offending value and states the rule it broke.
 */
public final class InvalidLockNamespaceException extends NoDbException {

  /**
   * Creates the exception.
   *
   * @param message the kind, the offending value and the rule it broke
   */
  public InvalidLockNamespaceException(String message) {
    super(message);
  }
}
