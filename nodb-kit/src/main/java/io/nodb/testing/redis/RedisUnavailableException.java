package io.nodb.testing.redis;

/**
 * Thrown when the kit can find no way to provide a Redis server; the message says how to provide
 * one.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class RedisUnavailableException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was tried and how to provide a server
   */
  public RedisUnavailableException(String message) {
    super(message);
  }
}
