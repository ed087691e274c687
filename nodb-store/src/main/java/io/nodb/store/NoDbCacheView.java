package io.nodb.store;

import io.nodb.lock.LockKey;
import io.nodb.store.internal.RedisStoreMirror;
import io.nodb.store.internal.RunFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A read-only view of the store's Redis cache of controller files ({@code nodb-cache:{run}:<file>},
 * see {@link NoDbStoreBuilder}), for operators: does a controller's entry match its file? Nothing
 * is written or deleted (a foreign entry is reported, not dropped as the store would).
 *
 * <p>Thread-safe; connections are opened on first use and closed by {@link #close()}.
 */
public final class NoDbCacheView implements AutoCloseable {

  private final RedisStoreMirror mirror;

  private NoDbCacheView(RedisStoreMirror mirror) {
    this.mirror = mirror;
  }

  /**
   * Creates a view of the cache in a Redis server.
   *
   * @param redisUrl the Redis URL
   * @param timeout the connect and read timeout of each call
   * @return the view, which the caller closes
   * @throws NullPointerException if an argument is null
   */
  public static NoDbCacheView open(String redisUrl, Duration timeout) {
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(timeout, "timeout");
    return new NoDbCacheView(new RedisStoreMirror(redisUrl, timeout, timeout));
  }

  /**
   * Describes a controller's cache entry against its file: {@code none}, {@code fresh v<N>} (taken
   * from exactly the file now on disk, so the store would use it), {@code stale v<N>} (the file
   * changed since, or is gone), or {@code foreign} (not written by nodb).
   *
   * @param key the controller's lock key (run id and file name)
   * @param runDir the run directory
   * @param file the controller file
   * @return the description
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   * @throws NoDbUnsafePathException if the file is a link leading out of the run
   * @throws IOException if the file's signature cannot be read
   */
  public String describe(LockKey key, Path runDir, Path file) throws IOException {
    return mirror.describeEntry(key, RunFiles.signature(runDir, file));
  }

  @Override
  public void close() {
    mirror.close();
  }
}
