package io.nodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockKey;
import io.nodb.store.internal.RedisStoreMirror;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;
import redis.clients.jedis.Jedis;

/**
 * Hydration order in-memory, then the Redis cache (only when it provably matches the file), then
 * disk; corrupt or foreign entries are dropped; a Redis outage degrades to disk without an error.
 */
@DedicatedRedis
class RedisCacheHydrationIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir Path runsRoot;

  private NoDbStore store(TestRedis redis, LockClient locks) {
    return NoDbStore.builder().lockClient(locks).redisCache(redis.url()).build();
  }

  @Test
  void aFreshStoreHydratesFromTheCacheWhenItMatchesTheFile(TestRedis redis) {
    try (LockClient locks = LockClient.builder().local(runsRoot).build();
        NoDbStore writer = store(redis, locks);
        NoDbStore reader = store(redis, locks)) {
      Path run = runsRoot.resolve(RunIds.unique("cache"));
      writer.create(Counter.class, run, s -> s.label = "from the writer");
      writer.getInstance(Counter.class, run).increment();

      Counter c = reader.getInstance(Counter.class, run);
      assertThat(c.count()).isEqualTo(1);
      assertThat(c.state().label).isEqualTo("from the writer");
      assertThat(reader.cacheHydrations()).isEqualTo(1);
      assertThat(reader.diskHydrations()).isZero();
    }
  }

  @Test
  void anEntryThatDoesNotMatchTheFileIsNotUsed(TestRedis redis) throws Exception {
    try (LockClient locks = LockClient.builder().local(runsRoot).build();
        NoDbStore writer = store(redis, locks);
        NoDbStore reader = store(redis, locks)) {
      Path run = runsRoot.resolve(RunIds.unique("cache"));
      writer.create(Counter.class, run, s -> s.label = "cached");
      Path file = run.resolve("counter.nodb");
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = (ObjectNode) json.readTree(file.toFile());
      ((ObjectNode) root.get("state")).put("label", "edited on disk");
      Files.write(file, json.writeValueAsBytes(root));

      assertThat(reader.getInstance(Counter.class, run).state().label).isEqualTo("edited on disk");
      assertThat(reader.cacheHydrations()).isZero();
      assertThat(reader.diskHydrations()).isEqualTo(1);
    }
  }

  @Test
  void corruptAndForeignEntriesAreDroppedAndTheFileIsRead(TestRedis redis) {
    try (LockClient locks = LockClient.builder().local(runsRoot).build();
        NoDbStore writer = store(redis, locks);
        Jedis jedis = redis.connect(Duration.ofSeconds(2))) {
      Path run = runsRoot.resolve(RunIds.unique("cache"));
      writer.create(Counter.class, run, s -> s.label = "on disk");
      String key = RedisStoreMirror.keyOf(LockKey.of(run.getFileName().toString(), "counter.nodb"));
      String entry = jedis.get(key);
      String[] parts = entry.split("\n", 4);

      jedis.set(key, "garbage written by something else");
      try (NoDbStore reader = store(redis, locks)) {
        assertThat(reader.getInstance(Counter.class, run).state().label).isEqualTo("on disk");
        assertThat(reader.diskHydrations()).isEqualTo(1);
      }
      assertThat(jedis.exists(key)).as("foreign entry dropped").isFalse();

      jedis.set(
          key, parts[0] + "\n" + parts[1] + "\n" + parts[2] + "\n{\"nodb\": {\"format\": 1, \"ty");
      try (NoDbStore reader = store(redis, locks)) {
        assertThat(reader.getInstance(Counter.class, run).state().label).isEqualTo("on disk");
        assertThat(reader.cacheHydrations()).isZero();
        assertThat(reader.diskHydrations()).isEqualTo(1);
      }
      assertThat(jedis.exists(key)).as("corrupt entry dropped").isFalse();
      logs.expect(Level.WARN, "dropping a foreign cache entry " + key)
          .from("io.nodb.store")
          .times(1);
      logs.expect(Level.WARN, "that does not parse: truncated").from("io.nodb.store").times(1);
    }
  }

  @Test
  void aRedisOutageDegradesToDiskWithoutAnError(TestRedis redis) {
    try (LockClient locks = LockClient.builder().local(runsRoot).build();
        NoDbStore writer = NoDbStore.builder().lockClient(locks).build()) {
      Path run = runsRoot.resolve(RunIds.unique("cache"));
      writer.create(Counter.class, run, s -> s.label = "disk only");
      redis.stop();
      try (NoDbStore reader =
          NoDbStore.builder()
              .lockClient(locks)
              .redisCache(redis.url(), Duration.ofMillis(300))
              .build()) {
        Counter c = reader.getInstance(Counter.class, run);
        assertThat(c.state().label).isEqualTo("disk only");
        assertThat(c.increment()).as("a dump with the cache down still commits").isEqualTo(1);
        assertThat(reader.diskHydrations()).isEqualTo(1);
        assertThat(reader.cacheFailures()).as("cache read and write failures counted").isPositive();
        // said once per outage, not per failure
        logs.expect(Level.WARN, "Redis cache unavailable").from("io.nodb.store").times(1);
      }
    }
  }
}
