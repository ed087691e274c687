package io.nodb.bench.recipes;

import io.nodb.recipes.Loader;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * The stampede benchmark's floor: the same single-flight protocol written directly on Jedis with
 * every shortcut a benchmark may take and a library may not. The "value ready" pattern subscription
 * is open before any round starts (no subscribe per wait), the reader thread completes the waiting
 * callers' future itself, and there is no lease renewal, no owner check on the waiters' side, no
 * failure handling, no timeout and no metrics. What it costs above the loader is what this machine
 * charges for the protocol's round trips and wake-ups; nodb's excess over it is the library's own.
 *
 * <p>Thread-safe. Not for production: a crashed holder blocks the key until its lock expires and a
 * failed loader leaves the waiters hanging.
 */
final class RawJedisFlight implements AutoCloseable {

  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

  private final RedisClient redis;
  private final RedisClient subscriber;
  private final ConcurrentHashMap<String, CompletableFuture<String>> flights =
      new ConcurrentHashMap<>();
  private final JedisPubSub pubSub =
      new JedisPubSub() {
        @Override
        public void onPMessage(String pattern, String channel, String message) {
          CompletableFuture<String> f = flights.get(channel.substring("raw-ready:".length()));
          if (f != null) {
            f.complete(message);
          }
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
          subscribed.countDown();
        }
      };
  private final CountDownLatch subscribed = new CountDownLatch(1);

  RawJedisFlight(String host, int port) throws InterruptedException {
    redis = RedisClient.create(host, port);
    subscriber = RedisClient.create(host, port);
    Thread t = new Thread(() -> subscriber.psubscribe(pubSub, "raw-ready:*"), "raw-subscriber");
    t.setDaemon(true);
    t.start();
    subscribed.await();
  }

  String getOrCompute(String key, Loader<String> loader) throws Exception {
    CompletableFuture<String> mine = new CompletableFuture<>();
    CompletableFuture<String> running = flights.putIfAbsent(key, mine);
    if (running != null) {
      return get(running);
    }
    try {
      String v = lead(key, loader, mine);
      mine.complete(v);
      return v;
    } finally {
      flights.remove(key, mine);
    }
  }

  private String lead(String key, Loader<String> loader, CompletableFuture<String> mine)
      throws Exception {
    String v = redis.get("raw-value:" + key);
    if (v != null) {
      return v;
    }
    String token = UUID.randomUUID().toString();
    if ("OK".equals(redis.set("raw-lock:" + key, token, SetParams.setParams().nx().px(30_000)))) {
      try {
        v = redis.get("raw-value:" + key);
        if (v != null) {
          return v;
        }
        v = loader.load(key);
        redis.eval(
            "redis.call('SET', KEYS[1], ARGV[1], 'PX', 300000) redis.call('PUBLISH', ARGV[2],"
                + " ARGV[1]) return 1",
            List.of("raw-value:" + key),
            List.of(v, "raw-ready:" + key));
        mine.complete(v);
        return v;
      } finally {
        redis.eval(RELEASE, List.of("raw-lock:" + key), List.of(token));
      }
    }
    v = redis.get("raw-value:" + key); // stored before our flight was registered
    return v != null ? v : get(mine);
  }

  private static String get(CompletableFuture<String> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Override
  public void close() {
    pubSub.punsubscribe();
    subscriber.close();
    redis.close();
  }
}
