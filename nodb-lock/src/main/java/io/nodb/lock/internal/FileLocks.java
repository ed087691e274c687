package io.nodb.lock.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes an OS file lock with a deadline instead of blocking forever: a process paused (SIGSTOP) or
 * hung while holding a sidecar lock must not hang every other process. Polls {@code tryLock} with a
 * backoff from 1 ms to 20 ms. Stateless and thread-safe.
 */
public final class FileLocks {

  private FileLocks() {}

  /**
   * Locks {@code channel} exclusively, waiting at most {@code max}.
   *
   * @param channel an open, writable channel
   * @param max the longest wait
   * @param forFile the file the lock protects, for the message
   * @return the lock
   * @throws IOException if the lock is not obtained in time, or the channel fails
   */
  public static FileLock lockWithin(FileChannel channel, Duration max, Path forFile)
      throws IOException {
    long deadline = System.nanoTime() + max.toNanos();
    long backoff = 1_000_000L;
    while (true) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException(
            "timed out after "
                + max.toSeconds()
                + " s waiting for the sidecar lock of "
                + forFile
                + " (another process holds it and does not progress)");
      }
      LockSupport.parkNanos(backoff);
      backoff = Math.min(backoff * 2, 20_000_000L);
    }
  }
}
