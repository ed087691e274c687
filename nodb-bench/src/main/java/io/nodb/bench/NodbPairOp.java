package io.nodb.bench;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.ReleaseOutcome;
import java.time.Duration;

/** A nodb {@code acquire} (30 s lease, renewed; 10 s wait) followed by {@code release}. */
final class NodbPairOp implements PairOp {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final LockClient client;
  private final LockKey key;

  NodbPairOp(String url, LockKey key) {
    this.client = Clients.nodb(url);
    this.key = key;
  }

  @Override
  public String label() {
    return "nodb acquire+release";
  }

  @Override
  public void run() {
    LockHandle h = client.acquire(key, LEASE, WAIT);
    ReleaseOutcome outcome = h.release();
    if (outcome != ReleaseOutcome.RELEASED) {
      throw new IllegalStateException("nodb release of " + key + " returned " + outcome);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
