package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.recipes.RedisValueStore;
import io.nodb.recipes.SingleFlight;
import io.nodb.recipes.ValueCodec;
import io.nodb.store.NoDbStore;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * One process, one Redis URL, one connection pool: lock clients, the store's cache and the recipes'
 * value store on the same URL (and timeouts) share it, counted on the server with {@code CLIENT
 * LIST}; it stays open while any of them does and closes with the last. A dedicated server, so no
 * other test's connections are counted.
 */
@DedicatedRedis
class RedisSharedPoolIT {

  private static final Duration WITHIN = Duration.ofSeconds(10);

  @TempDir Path runsRoot;

  /** The server's pooled nodb connections: named {@code nodb}, subscribed to nothing. */
  private static long pooledConnections(Jedis admin) {
    return Arrays.stream(admin.clientList().split("\n"))
        .filter(line -> line.contains(" name=nodb "))
        .filter(line -> line.contains(" sub=0 ") && line.contains(" psub=0 "))
        .count();
  }

  @Test
  void aStoreRecipesAndALockClientOnOneUrlOpenOnePoolThatClosesWithItsLastUser(TestRedis redis) {
    try (Jedis admin = redis.connect(WITHIN)) {
      assertThat(pooledConnections(admin)).isZero();
      LockClient locks = LockClient.builder().redis(redis.url()).releaseOnShutdown(false).build();
      LockClient storeLocks =
          LockClient.builder().redis(redis.url()).releaseOnShutdown(false).build();
      NoDbStore store = NoDbStore.builder().lockClient(storeLocks).redisCache(redis.url()).build();
      RedisValueStore<String> values =
          RedisValueStore.builder(redis.url(), "shared-pool", ValueCodec.strings()).build();
      SingleFlight<String> flight =
          SingleFlight.builder("shared-pool", values).lockClient(locks).build();

      try (LockHandle h =
          locks.acquire(
              LockKey.of(RunIds.unique("pool"), "a"), LockOptions.lease(WITHIN), WITHIN)) {
        assertThat(h.isValid()).isTrue();
      }
      Path run = runsRoot.resolve(RunIds.unique("pool"));
      store.create(Counter.class, run, s -> s.label = "shared");
      assertThat(store.getInstance(Counter.class, run).increment()).isEqualTo(1);
      assertThat(flight.getOrCompute("k", k -> "computed")).isEqualTo("computed");
      assertThat(values.get("k")).contains("computed");

      assertThat(pooledConnections(admin))
          .as("two lock clients, the store's cache and a value store: one pool, one connection")
          .isEqualTo(1);
      assertThat(RedisPools.openPools()).isPositive();

      flight.close();
      locks.close();
      values.close();
      assertThat(store.getInstance(Counter.class, run).increment())
          .as("the store still works on the pool after the others left")
          .isEqualTo(2);
      assertThat(pooledConnections(admin)).isEqualTo(1);

      store.close();
      storeLocks.close();
      await()
          .atMost(WITHIN)
          .untilAsserted(
              () ->
                  assertThat(pooledConnections(admin))
                      .as("the pool closed with its last user")
                      .isZero());
    }
  }

  @Test
  void aClientWithOtherTimeoutsKeepsThemInAPoolOfItsOwn(TestRedis redis) {
    try (Jedis admin = redis.connect(WITHIN);
        LockClient usual =
            LockClient.builder().redis(redis.url()).releaseOnShutdown(false).build();
        LockClient slower =
            LockClient.builder()
                .redis(redis.url())
                .readTimeout(Duration.ofSeconds(3))
                .releaseOnShutdown(false)
                .build()) {
      usual.ping();
      slower.ping();
      assertThat(pooledConnections(admin)).isEqualTo(2);
    }
  }
}
