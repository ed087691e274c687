package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockKey;
import io.nodb.lock.internal.RedisEndpoint;
import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;
import redis.clients.jedis.Jedis;

/**
 * Operator calls (force, clear) after a Redis restart: the pooled connections are dead, and the
 * first call must still succeed, because the evict script is idempotent per call and retried once.
 */
@ExtendWith(RedisExtension.class)
@DedicatedRedis
class RedisOperatorRetryIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private static LockClient client(TestRedis redis) {
    return LockClient.builder()
        .redis(redis.url())
        .connectTimeout(TIMEOUT)
        .readTimeout(TIMEOUT)
        .build();
  }

  @Test
  void theFirstForceAndTheFirstClearAfterARestartSucceed(TestRedis redis) {
    String run = RunIds.unique("retry");
    LockKey climate = LockKey.of(run, "climate.nodb");
    try (LockClient client = client(redis)) {
      client.tryAcquire(climate).orElseThrow();
      assertThat(client.admin().forceUnlock(climate, "warm the pool")).isPresent();

      redis.restart();
      assertThat(client.admin().forceUnlock(climate, "after restart")).isEmpty();

      client.tryAcquire(climate).orElseThrow();
      redis.restart();
      assertThat(client.admin().clearLocks(run, "after restart")).isEmpty();

      client.tryAcquire(climate).orElseThrow();
      assertThat(client.admin().clearLocks(run, "works on")).hasSize(1);
      logs.expect(Level.WARN, "forced run=" + run + " key=climate.nodb reason='warm the pool'")
          .times(1);
      logs.expect(Level.WARN, "reason=FORCED").from("io.nodb.lock").times(1);
      logs.expect(Level.WARN, "cleared run=" + run + " count=0 reason='after restart'").times(1);
      logs.expect(Level.WARN, "cleared run=" + run + " count=1 reason='works on'").times(1);
      logs.expect(Level.WARN, "reason=CLEARED").from("io.nodb.lock").times(1);
    }
  }

  @Test
  void aRetriedEvictReturnsTheFirstRunsResultWithoutEvictingOrAuditingTwice(TestRedis redis) {
    String run = RunIds.unique("retry");
    LockKey climate = LockKey.of(run, "climate.nodb");
    try (LockClient client = client(redis);
        RedisConnection connection =
            new RedisConnection(
                RedisEndpoint.parse(redis.url()), TIMEOUT, TIMEOUT, 2, Duration.ofSeconds(1));
        Jedis jedis = redis.connect(TIMEOUT)) {
      client.tryAcquire(climate).orElseThrow();
      List<String> keys =
          List.of(
              RedisKeys.evicted(run),
              RedisKeys.audit(run),
              RedisKeys.runIndex(run),
              RedisKeys.callResult(run, "call-1"),
              RedisKeys.fenceCounter(run),
              RedisKeys.lock(climate),
              RedisKeys.signal(climate),
              RedisKeys.legacyFence(climate));
      List<String> args =
          List.of("FORCED", "why", "me", "1000", "60000", "60000", "0", "0", "climate.nodb");

      Object first = connection.eval(LuaScript.EVICT, keys, args);
      // A new holder between the lost reply and the retry must not be evicted by the retry.
      client.tryAcquire(climate).orElseThrow();
      Object retry = connection.eval(LuaScript.EVICT, keys, args);

      assertThat(retry).isEqualTo(first);
      assertThat((List<?>) first).hasSize(4);
      assertThat(jedis.xlen(RedisKeys.audit(run))).isEqualTo(1);
      assertThat(client.isLocked(climate)).isTrue();
    }
  }
}
