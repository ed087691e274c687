package io.nodb.lock.internal;

import io.nodb.lock.LockClient;

/** Builds a {@link LockClient} for a configuration: picks the backend and wires the client. */
public final class LockClientFactory {

  private LockClientFactory() {}

  /**
   * Creates a client.
   *
   * @param config the validated configuration
   * @return the client
   */
  public static LockClient create(LockClientConfig config) {
    throw new UnsupportedOperationException("backends arrive in the next commit: " + config);
  }
}
