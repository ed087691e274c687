package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.testing.junit.DedicatedRedis;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import io.nodb.testpolicy.logging.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.event.Level;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Watching a {@link RedisValueStore} on a real Redis: what one process stores, records or abandons
 * reaches another process's watch of that key (two stores stand for two processes: each has its own
 * connections), and only that key's.
 */
@ExtendWith(RedisExtension.class)
class RedisValueStoreWatchIT {

  @RegisterExtension final LogCapture logs = new LogCapture();

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static RedisValueStore<String> store(TestRedis redis, String name) {
    return RedisValueStore.builder(redis.url(), name, ValueCodec.strings())
        .ttl(Duration.ofMinutes(1))
        .build();
  }

  private static String name() {
    return RunIds.unique("sf").replace("sf-", "w");
  }

  private static StoreNotice<String> next(ValueWatch<String> w) throws InterruptedException {
    return w.await(WAIT).orElseThrow(() -> new AssertionError("no notice within " + WAIT));
  }

  @Test
  void aValueStoredByAnotherProcessArrivesWithItsNoticeAndOtherKeysStayQuiet(TestRedis redis)
      throws Exception {
    String name = name();
    try (RedisValueStore<String> watching = store(redis, name);
        RedisValueStore<String> computing = store(redis, name)) {
      ValueWatch<String> watch = watching.watch("EURUSD").orElseThrow();
      List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
      watch.onStored(heard::add);

      computing.put("GBPUSD", "other key");
      computing.put("EURUSD", "1.08");

      StoreNotice<String> n = next(watch);
      assertThat(n.kind()).isEqualTo(StoreNotice.Kind.STORED);
      assertThat(n.value()).isEqualTo("1.08");
      assertThat(heard)
          .as("the listener got it first, on the reader thread")
          .containsExactly("1.08");
      assertThat(watch.await(Duration.ZERO)).as("nothing for the other key").isEmpty();
      watch.close();
    }
  }

  @Test
  void aValueTooLargeToTravelWithItsNoticeIsReadByTheWatcher(TestRedis redis) throws Exception {
    String name = name();
    String large = "x".repeat(RedisValueStore.INLINE_LIMIT + 1);
    try (RedisValueStore<String> watching = store(redis, name);
        RedisValueStore<String> computing = store(redis, name)) {
      try (ValueWatch<String> watch = watching.watch("big").orElseThrow()) {
        computing.put("big", large);
        StoreNotice<String> n = next(watch);
        assertThat(n.kind()).isEqualTo(StoreNotice.Kind.STORED);
        assertThat(n.value()).isEqualTo(large);
      }
    }
  }

  @Test
  void failuresAndAbandonedRoundsArriveInOrder(TestRedis redis) throws Exception {
    String name = name();
    try (RedisValueStore<String> watching = store(redis, name);
        RedisValueStore<String> computing = store(redis, name);
        ValueWatch<String> watch = watching.watch("k").orElseThrow()) {
      LoadFailure failure = new LoadFailure(7, "host:42", "java.io.IOException", "503|busy", false);
      computing.putFailure("k", failure, Duration.ofSeconds(30));
      computing.abandon("k");

      StoreNotice<String> failed = next(watch);
      assertThat(failed.kind()).isEqualTo(StoreNotice.Kind.FAILED);
      assertThat(failed.failure()).isEqualTo(failure);
      assertThat(watching.failure("k")).contains(failure);
      assertThat(next(watch).kind()).isEqualTo(StoreNotice.Kind.ABANDONED);
    }
  }

  @Test
  @DedicatedRedis // CLIENT KILL TYPE pubsub would cut other tests' subscribers too
  void aKilledPubSubConnectionLosesTheWatchAndANewWatchWorksAgain(TestRedis redis)
      throws Exception {
    String name = name();
    try (RedisValueStore<String> watching = store(redis, name);
        RedisValueStore<String> computing = store(redis, name)) {
      ValueWatch<String> first = watching.watch("k").orElseThrow();
      try (Jedis admin = redis.connect(Duration.ofSeconds(2))) {
        admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
      }
      assertThat(next(first).kind()).isEqualTo(StoreNotice.Kind.LOST);
      first.close();

      ValueWatch<String> second =
          org.awaitility.Awaitility.await()
              .atMost(WAIT)
              .until(() -> watching.watch("k"), Optional::isPresent)
              .orElseThrow();
      computing.put("k", "after reconnect");
      assertThat(next(second).value()).isEqualTo("after reconnect");
      second.close();
      logs.expect(Level.WARN, "pub/sub connection for channel")
          .from("io.nodb.lock.internal.redis.RedisTopics");
    }
  }

  @Test
  void closingTheStoreEndsItsWatches(TestRedis redis) throws Exception {
    RedisValueStore<String> watching = store(redis, name());
    ValueWatch<String> watch = watching.watch("k").orElseThrow();
    watching.close();
    assertThat(next(watch).kind()).isEqualTo(StoreNotice.Kind.LOST);
    assertThat(watching.watch("k")).isEmpty();
  }

  @Test
  void anUndecodableValueIsThrownByAwaitNotSwallowed(TestRedis redis) throws Exception {
    String name = name();
    ValueCodec<Integer> ints = ValueCodec.of(String::valueOf, Integer::valueOf);
    try (RedisValueStore<Integer> watching =
            RedisValueStore.builder(redis.url(), name, ints).build();
        RedisValueStore<String> computing = store(redis, name);
        ValueWatch<Integer> watch = watching.watch("k").orElseThrow()) {
      computing.put("k", "not a number");
      assertThatThrownBy(() -> watch.await(WAIT)).isInstanceOf(NumberFormatException.class);
    }
  }
}
