package io.nodb.bench;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/** A Redisson {@link RLock#lock()} (watchdog lease) followed by {@link RLock#unlock()}. */
final class RedissonPairOp implements PairOp {

  private final RedissonClient client;
  private final RLock lock;

  RedissonPairOp(String url, String name) {
    this.client = Clients.redisson(url);
    this.lock = client.getLock(name);
  }

  @Override
  public String label() {
    return "Redisson RLock lock+unlock";
  }

  @Override
  public void run() {
    lock.lock();
    lock.unlock();
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
