package io.nodb.examples;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Builds the climate of run-42 under its lock. */
public final class LockClientExample {

  /**
   * Takes the lock if it is free, else waits for it; returns the fence of the last acquisition.
   *
   * @param runsRoot the directory that holds the run directories (used without Redis)
   * @return the fence to pass to whatever is written under the lock
   */
  public static long buildClimate(Path runsRoot) {
    // Redis at NODB_REDIS_URL when it is set, else lock files under runsRoot/<run>/.nodb-locks
    try (LockClient locks = LockClient.builder().fromEnvironment(runsRoot).build()) {
      LockKey key = LockKey.of("run-42", "climate.nodb");

      // Contention is a value: empty when someone else holds it. Close what you get.
      Optional<LockHandle> maybe = locks.tryAcquire(key);
      if (maybe.isPresent()) {
        try (LockHandle lock = maybe.get()) {
          write(lock.fence());
        }
      }

      // Or wait up to 10 s: woken by the release, not by polling; the timeout names the holder.
      try (LockHandle lock = locks.acquire(key, Duration.ofSeconds(30), Duration.ofSeconds(10))) {
        lock.addLossListener(loss -> System.err.println("lost " + loss.key() + ": " + loss));
        write(lock.fence()); // pass the fence to whatever you write
        lock.ensureValid(); // throws LockLostException if forced, cleared or expired
        return lock.fence();
      } // release never throws; its outcome is logged and counted
    }
  }

  private static void write(long fence) {
    // the protected work: a file, a row, a message, stamped with the fence
  }

  private LockClientExample() {}
}
