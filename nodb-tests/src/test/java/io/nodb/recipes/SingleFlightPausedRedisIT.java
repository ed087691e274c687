package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockClient;
import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;

/**
 * A paused (SIGSTOP) Redis answers nothing and refuses nothing, so every call would wait for a read
 * timeout. Once single-flight has seen the outage it must leave the remote value store alone until
 * the retry time, not pay a timeout per store call.
 */
@DedicatedRedis
class SingleFlightPausedRedisIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  /** Counts the calls that reach the Redis store. */
  private static final class CountingStore implements ValueStore<String> {
    final ValueStore<String> delegate;
    final AtomicInteger calls = new AtomicInteger();

    CountingStore(ValueStore<String> delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<String> get(String key) {
      calls.incrementAndGet();
      return delegate.get(key);
    }

    @Override
    public void put(String key, String value) {
      calls.incrementAndGet();
      delegate.put(key, value);
    }

    @Override
    public boolean isRemote() {
      return delegate.isRemote();
    }
  }

  @Test
  void afterTheFirstTimeoutTheRemoteStoreIsSkippedUntilTheRetryTime(TestRedis redis) {
    Duration timeout = Duration.ofMillis(300);
    try (LockClient locks =
            LockClient.builder()
                .redis(redis.url())
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .build();
        RedisValueStore<String> redisStore =
            RedisValueStore.builder(redis.url(), "paused", ValueCodec.strings())
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .build();
        SingleFlight<String> flight =
            SingleFlight.builder("paused", counting(redisStore))
                .lockClient(locks)
                .retryBackendAfter(Duration.ofMinutes(5))
                .build()) {
      CountingStore store = lastCounting;
      assertThat(flight.getOrCompute("warm", k -> "v-" + k)).isEqualTo("v-warm");
      redis.pause();
      try {
        assertThat(flight.getOrCompute("a", k -> "v-" + k)).isEqualTo("v-a");
        assertThat(flight.isDegraded()).isTrue();
        int callsAfterOutageSeen = store.calls.get();

        assertThat(flight.getOrCompute("b", k -> "v-" + k)).isEqualTo("v-b");
        assertThat(flight.getOrCompute("c", k -> "v-" + k)).isEqualTo("v-c");

        assertThat(store.calls.get())
            .as("store calls while Redis is known to be down")
            .isEqualTo(callsAfterOutageSeen);
        logs.expect(Level.WARN, "Redis is unavailable; degrading to per-process coordination")
            .from("io.nodb.recipes")
            .times(1);
      } finally {
        redis.resume();
      }
    }
  }

  private CountingStore lastCounting;

  private CountingStore counting(ValueStore<String> delegate) {
    lastCounting = new CountingStore(delegate);
    return lastCounting;
  }
}
