package io.nodb.testing.faults;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;

/**
 * Injects faults into the stored state of locks, behind the lock client's back, the way crashes,
 * bugs and operators do: a corrupted token, an orphaned lock whose owner process is gone, a lease
 * that runs out now, a value some other program wrote. Each method changes exactly one key and
 * leaves fences and run indexes as a real acquisition or expiry would.
 *
 * <p>Get one for the backend under test with {@link #redis} or {@link #local}. Thread-safe; call a
 * method while no operation on the same key is in flight in this JVM, as a fault would strike.
 * Every method throws {@link IllegalStateException} if the backend cannot be read or written.
 */
public interface LockFaults {

  /**
   * Returns faults for locks in Redis.
   *
   * @param connections opens a new connection to that Redis (closed after use)
   * @return the faults
   */
  static LockFaults redis(Supplier<Jedis> connections) {
    return new RedisLockFaults(connections);
  }

  /**
   * Returns faults for the local backend.
   *
   * @param runsRoot the runs root of the lock clients
   * @param clock the wall clock those clients judge expiry by
   * @return the faults
   */
  static LockFaults local(Path runsRoot, Clock clock) {
    return new LocalLockFaults(runsRoot, clock);
  }

  /**
   * Returns a client whose every acquisition gets {@code lease} with renewal off, whatever the
   * caller asked for: a short lease for everything done through it (for example a store built on
   * it), so a body that outlives the lease loses the lock. {@link LockClient#close()} closes the
   * delegate.
   *
   * @param delegate the real client
   * @param lease the lease every acquisition gets
   * @return the wrapping client
   */
  static LockClient shortLeases(LockClient delegate, Duration lease) {
    return new ShortLeaseLockClient(delegate, lease);
  }

  /**
   * Replaces the holder's token with another one (same fence, owner and TTL): the holder's release
   * and extend then find someone else's token.
   *
   * @param key a held lock
   * @return the new token
   * @throws IllegalStateException if the lock is free
   */
  String corruptToken(LockKey key);

  /**
   * Takes the lock for an owner process that no longer exists (a pid that has exited), with a new
   * fence and the given lease and no renewal, as if that process had crashed holding it.
   *
   * @param key a free lock
   * @param lease how long until the backend expires it
   * @return the orphan's fence
   * @throws IllegalStateException if the lock is held
   */
  long orphan(LockKey key, Duration lease);

  /**
   * Makes the holder's lease run out now, as an expiry would: the lock becomes free without a
   * release, so nobody is signalled. Does nothing if the lock is free.
   *
   * @param key the lock
   */
  void expireNow(LockKey key);

  /**
   * Stores a value nodb did not write (e.g. {@code "locked-by-cron"}) as the lock, for {@code ttl}.
   *
   * @param key the lock
   * @param value the foreign value
   * @param ttl how long until the backend expires it
   */
  void overwriteForeign(LockKey key, String value, Duration ttl);
}
