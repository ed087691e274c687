package io.nodb.recipes;

/**
 * What a {@link SingleFlight} caller does when its wait for another process's compute runs out and
 * the store still has no value.
 */
public enum WaitTimeoutPolicy {
  /**
   * Call the loader without the lock (logged at WARN with the key): availability over
   * deduplication. The default.
   */
  COMPUTE,
  /** Throw the {@link io.nodb.lock.LockTimeoutException}, which names the holder. */
  FAIL
}
