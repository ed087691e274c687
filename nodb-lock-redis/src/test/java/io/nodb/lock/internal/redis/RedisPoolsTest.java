package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.lock.internal.RedisEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The process's pools are shared per endpoint and timeouts and counted by user, without a server: a
 * pool connects lazily, so joining and leaving need no Redis.
 */
class RedisPoolsTest {

  private static final Duration T = Duration.ofMillis(1234);

  private static RedisEndpoint endpoint(String url) {
    return RedisEndpoint.parse(url);
  }

  @Test
  void usersOfOneEndpointAndTimeoutsShareOnePoolUntilTheLastLeaves() {
    int before = RedisPools.openPools();
    RedisPools.Share a = RedisPools.join(endpoint("redis://pools-a.invalid:6379"), T, T, 4);
    RedisPools.Share b = RedisPools.join(endpoint("redis://pools-a.invalid:6379/0"), T, T, 16);
    assertThat(b.connection()).isSameAs(a.connection());
    assertThat(RedisPools.openPools()).isEqualTo(before + 1);
    assertThat(a.connection().maxConnections()).as("grown to the largest user").isEqualTo(16);

    a.close();
    a.close(); // idempotent: does not take b's share
    assertThat(RedisPools.openPools()).isEqualTo(before + 1);
    RedisPools.Share c = RedisPools.join(endpoint("redis://pools-a.invalid:6379"), T, T, 2);
    assertThat(c.connection()).as("still b's pool").isSameAs(b.connection());
    assertThat(c.connection().maxConnections()).as("never shrinks while open").isEqualTo(16);
    b.close();
    c.close();
    assertThat(RedisPools.openPools()).isEqualTo(before);

    RedisPools.Share d = RedisPools.join(endpoint("redis://pools-a.invalid:6379"), T, T, 2);
    try {
      assertThat(d.connection())
          .as("a new pool after the last user left")
          .isNotSameAs(a.connection());
      assertThat(d.connection().maxConnections()).isEqualTo(2);
    } finally {
      d.close();
    }
  }

  @Test
  void otherTimeoutsOrAnotherEndpointGetAPoolOfTheirOwn() {
    try (RedisPools.Share a = RedisPools.join(endpoint("redis://pools-b.invalid"), T, T, 4);
        RedisPools.Share slower =
            RedisPools.join(endpoint("redis://pools-b.invalid"), T, T.plusMillis(1), 4);
        RedisPools.Share otherDb = RedisPools.join(endpoint("redis://pools-b.invalid/2"), T, T, 4);
        RedisPools.Share otherUser =
            RedisPools.join(endpoint("redis://bob:pw@pools-b.invalid"), T, T, 4)) {
      assertThat(slower.connection()).isNotSameAs(a.connection());
      assertThat(otherDb.connection()).isNotSameAs(a.connection());
      assertThat(otherUser.connection()).isNotSameAs(a.connection());
    }
  }

  @Test
  void concurrentJoinsAndClosesNeverReplaceAPoolThatIsHeld() throws Exception {
    RedisEndpoint e = endpoint("redis://pools-race.invalid");
    int before = RedisPools.openPools();
    int threads = 8;
    int rounds = 500;
    try (RedisPools.Share held = RedisPools.join(e, T, T, 2)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> workers = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (int t = 0; t < threads; t++) {
          int size = t + 1;
          workers.add(
              pool.submit(
                  () -> {
                    start.await();
                    int foreign = 0;
                    for (int i = 0; i < rounds; i++) {
                      try (RedisPools.Share s = RedisPools.join(e, T, T, size)) {
                        if (s.connection() != held.connection()) {
                          foreign++;
                        }
                      }
                    }
                    return foreign;
                  }));
        }
        start.countDown();
        for (Future<Integer> w : workers) {
          assertThat(w.get(30, TimeUnit.SECONDS)).as("shares of another pool").isZero();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(held.connection().maxConnections()).isEqualTo(threads);
      assertThat(RedisPools.openPools()).isEqualTo(before + 1);
    }
    assertThat(RedisPools.openPools()).as("closed with the last share").isEqualTo(before);
  }

  @Test
  void aPoolSizeBelowOneIsRefusedBeforeAnythingIsShared() {
    int before = RedisPools.openPools();
    assertThatThrownBy(() -> RedisPools.join(endpoint("redis://pools-c.invalid"), T, T, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConnections must be at least 1, was 0");
    assertThat(RedisPools.openPools()).isEqualTo(before);
  }
}
