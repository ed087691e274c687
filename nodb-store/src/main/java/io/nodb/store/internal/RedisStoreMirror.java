package io.nodb.store.internal;

import io.nodb.lock.LockKey;
import io.nodb.lock.internal.RedisAccess;
import io.nodb.lock.internal.RedisSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis cache of controller files: {@code nodb-cache:{runId}:<file>} holds {@code
 * nodb-cache/1}, the signature of the file it was copied from, its version, and the file's bytes.
 * An entry is used only when its signature equals the file's current one (same file identity, size
 * and mtime — every dump renames a new file into place), so a hit is provably the file's content;
 * anything else is a miss. An entry that is not in this format is foreign and deleted.
 *
 * <p>Best effort throughout: a Redis outage degrades to reading the disk with one WARN per outage
 * (and one INFO when Redis answers again); nothing here ever fails a read or a committed dump.
 * Entries expire after a day. Thread-safe.
 */
public final class RedisStoreMirror implements StoreMirror, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("io.nodb.store");
  private static final String MAGIC = "nodb-cache/1";
  private static final Duration TTL = Duration.ofDays(1);

  private final RedisAccess redis;
  private final AtomicBoolean degraded = new AtomicBoolean();
  private final java.util.concurrent.atomic.LongAdder failures =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * Creates the mirror on the process's Redis pool for this URL and timeouts (shared with the lock
   * clients on it, through {@link RedisSupport}); connections are opened lazily.
   *
   * @param url the Redis URL
   * @param connectTimeout connect timeout
   * @param readTimeout read timeout of one call
   * @throws io.nodb.MissingModuleException if nodb-lock-redis is not on the class path
   */
  public RedisStoreMirror(String url, Duration connectTimeout, Duration readTimeout) {
    this.redis = RedisSupport.load().access(url, connectTimeout, readTimeout, 16);
  }

  /** Returns the Redis key of a controller's cache entry. */
  public static String keyOf(LockKey key) {
    return "nodb-cache:{" + key.runId() + "}:" + key.name();
  }

  @Override
  public Optional<byte[]> read(LockKey key, FileSignature signature) {
    try {
      Optional<String> entry = redis.get(keyOf(key));
      recovered();
      if (entry.isEmpty()) {
        return Optional.empty();
      }
      String[] parts = entry.get().split("\n", 4);
      if (parts.length != 4 || !parts[0].equals(MAGIC)) {
        LOG.warn("[STORE] dropping a foreign cache entry {} (not written by nodb)", keyOf(key));
        drop(key);
        return Optional.empty();
      }
      if (!parts[1].equals(signature.encode())) {
        return Optional.empty();
      }
      return Optional.of(parts[3].getBytes(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      outage("read", e);
      return Optional.empty();
    }
  }

  /**
   * Describes the cache entry of a controller against its file, for operators: {@code none}, {@code
   * fresh v<N>} (matches the file), {@code stale v<N>} (the file changed since), or {@code
   * foreign}.
   *
   * @param key the controller's lock key
   * @param file the file's current signature, empty if there is no file
   * @return the description
   * @throws io.nodb.lock.LockBackendUnavailableException if Redis cannot be reached
   */
  public String describeEntry(LockKey key, Optional<FileSignature> file) {
    Optional<String> entry = redis.get(keyOf(key));
    if (entry.isEmpty()) {
      return "none";
    }
    String[] parts = entry.get().split("\n", 4);
    if (parts.length != 4 || !parts[0].equals(MAGIC)) {
      return "foreign";
    }
    boolean fresh = file.isPresent() && parts[1].equals(file.get().encode());
    return (fresh ? "fresh v" : "stale v") + parts[2];
  }

  @Override
  public void stored(LockKey key, FileSignature signature, long version, byte[] bytes) {
    try {
      redis.set(
          keyOf(key),
          MAGIC
              + "\n"
              + signature.encode()
              + "\n"
              + version
              + "\n"
              + new String(bytes, StandardCharsets.UTF_8),
          TTL);
      recovered();
    } catch (RuntimeException e) {
      outage("write", e);
    }
  }

  @Override
  public void drop(LockKey key) {
    try {
      redis.delete(keyOf(key));
    } catch (RuntimeException e) {
      outage("delete", e);
    }
  }

  @Override
  public long failures() {
    return failures.sum();
  }

  private void outage(String what, RuntimeException e) {
    failures.increment();
    if (degraded.compareAndSet(false, true)) {
      LOG.warn(
          "[STORE] Redis cache unavailable ({} failed: {}); reading and writing files only until it answers again",
          what,
          e.getMessage());
    }
  }

  private void recovered() {
    if (degraded.compareAndSet(true, false)) {
      LOG.info("[STORE] Redis cache answers again at {}", redis.describe());
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}
