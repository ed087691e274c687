package io.nodb.store.internal;

import io.nodb.lock.LockKey;
import java.util.Optional;

/**
 * A best-effort copy of controller files outside the file system (the Redis cache), used to hydrate
 * a controller without reading the disk when the copy provably matches the file.
 *
 * <p>Implementations never throw: an unreachable or corrupt mirror is logged and treated as a miss.
 * Thread-safe.
 */
public interface StoreMirror {

  /** A mirror that holds nothing. */
  StoreMirror NONE =
      new StoreMirror() {
        @Override
        public Optional<byte[]> read(LockKey key, FileSignature signature) {
          return Optional.empty();
        }

        @Override
        public void stored(LockKey key, FileSignature signature, long version, byte[] bytes) {}

        @Override
        public void drop(LockKey key) {}
      };

  /**
   * Returns the mirrored bytes of the file if the entry was taken from a file with exactly this
   * signature.
   *
   * @param key the controller's lock key
   * @param signature the file's current signature
   * @return the bytes, or empty on a miss, a mismatch, a foreign entry or an outage
   */
  Optional<byte[]> read(LockKey key, FileSignature signature);

  /**
   * Records the bytes just written to the file with this signature.
   *
   * @param key the controller's lock key
   * @param signature the new file's signature
   * @param version the new version
   * @param bytes the file's content
   */
  void stored(LockKey key, FileSignature signature, long version, byte[] bytes);

  /**
   * Removes the entry (it did not parse).
   *
   * @param key the controller's lock key
   */
  void drop(LockKey key);

  /** Returns how many mirror operations failed (and were logged and skipped) so far. */
  default long failures() {
    return 0;
  }
}
