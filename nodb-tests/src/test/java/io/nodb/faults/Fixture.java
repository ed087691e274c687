package io.nodb.faults;

import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStore;
import io.nodb.testing.check.LockStateProbe;
import io.nodb.testing.faults.LockFaults;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One scenario's backend: lock clients, stores, fault injector and state probe for Redis (the
 * shared or a dedicated server) or for local lock files under a temp runs root. Closes what it
 * made, newest first. Not thread-safe; owned by one test.
 */
final class Fixture implements AutoCloseable {

  static final Duration READ_TIMEOUT = Duration.ofMillis(500);

  private final Backend backend;
  private final TestRedis redis;
  private final Path runsRoot;
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();

  Fixture(Backend backend, TestRedis redis, Path runsRoot) {
    this.backend = backend;
    this.redis = redis;
    this.runsRoot = runsRoot;
  }

  Backend backend() {
    return backend;
  }

  Path runsRoot() {
    return runsRoot;
  }

  /** The backend argument of the worker mains. */
  String workerBackend() {
    return backend == Backend.REDIS ? redis.url() : "local";
  }

  LockClient client() {
    LockClient c =
        backend == Backend.REDIS
            ? LockClient.builder()
                .redis(redis.url())
                .connectTimeout(READ_TIMEOUT)
                .readTimeout(READ_TIMEOUT)
                .build()
            : LockClient.builder().local(runsRoot).build();
    owned.push(c);
    return c;
  }

  NoDbStore store(LockClient client) {
    NoDbStore s = NoDbStore.builder().lockClient(client).lockWait(Duration.ofSeconds(20)).build();
    owned.push(s);
    return s;
  }

  NoDbStore store() {
    return store(client());
  }

  LockFaults faults() {
    return backend == Backend.REDIS
        ? LockFaults.redis(() -> redis.connect(Duration.ofSeconds(2)))
        : LockFaults.local(runsRoot, Clock.systemUTC());
  }

  LockStateProbe probe() {
    return backend == Backend.REDIS
        ? LockStateProbe.redis(() -> redis.connect(Duration.ofSeconds(2)))
        : LockStateProbe.local(runsRoot, Clock.systemUTC());
  }

  Path newRun(String prefix) {
    return runsRoot.resolve(RunIds.unique(prefix));
  }

  @Override
  public void close() throws Exception {
    while (!owned.isEmpty()) {
      owned.pop().close();
    }
  }
}
