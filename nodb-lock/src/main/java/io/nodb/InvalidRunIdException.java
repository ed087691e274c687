package io.nodb;

/**
 * Thrown when a run id or a controller path inside a run is not acceptable: empty, too long, with
 * characters outside {@code [A-Za-z0-9._-]}, containing {@code ..}, a separator or NUL, or a
 * relative path that would escape the run directory.
 *
 * <p>The message quotes the offending value and the rule it broke.
 */
public final class InvalidRunIdException extends NoDbException {

  /**
   * Creates the exception.
   *
   * @param message the offending value and the rule it broke
   */
  public InvalidRunIdException(String message) {
    super(message);
  }
}
