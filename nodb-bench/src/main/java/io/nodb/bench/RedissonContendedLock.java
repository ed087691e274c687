package io.nodb.bench;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/** Redisson {@link RLock#lock()} (watchdog lease, waits forever) and {@link RLock#unlock()}. */
final class RedissonContendedLock implements ContendedLock {

  private final RedissonClient client;
  private final RLock lock;

  RedissonContendedLock(String url, String name) {
    this.client = Clients.redisson(url);
    this.lock = client.getLock(name);
  }

  @Override
  public String label() {
    return "Redisson";
  }

  @Override
  public Held lock() {
    lock.lock();
    return lock::unlock;
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
