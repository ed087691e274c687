package io.nodb.bench;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.ReleaseOutcome;
import java.time.Duration;

/** nodb {@code acquire} (30 s lease, renewed; 60 s wait) and {@code release} on one shared key. */
final class NodbContendedLock implements ContendedLock {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final LockClient client;
  private final LockKey key;

  NodbContendedLock(String url, LockKey key) {
    this.client = Clients.nodb(url);
    this.key = key;
  }

  @Override
  public String label() {
    return "nodb";
  }

  @Override
  public Held lock() {
    LockHandle h = client.acquire(key, LEASE, WAIT);
    return () -> {
      ReleaseOutcome outcome = h.release();
      if (outcome != ReleaseOutcome.RELEASED) {
        throw new IllegalStateException("nodb release of " + key + " returned " + outcome);
      }
    };
  }

  @Override
  public void close() {
    client.close();
  }
}
