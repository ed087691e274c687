package io.nodb.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.nodb.testing.redis.RedisProvisioner;
import io.nodb.testing.redis.TestRedis;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import redis.clients.jedis.Jedis;

/**
 * Runs fixture classes in a nested JUnit engine to check what the extension does between tests and
 * at the end of a run. The fixtures are static nested classes, which failsafe does not run itself.
 */
class RedisExtensionLifecycleIT {

  private static final Map<String, Object> RECORD = new ConcurrentHashMap<>();

  @BeforeEach
  void clearRecord() {
    RECORD.clear();
  }

  @Test
  void classServerIsHealedBetweenTestsAndStoppedAfterTheClass() {
    Events tests = run(HealingFixture.class);

    tests.assertStatistics(stats -> stats.started(3).succeeded(2).failed(1));
    long pausedPid = (Long) RECORD.get("paused-pid");
    assertThat(RECORD.get("resumed-pid")).as("resumed, not replaced").isEqualTo(pausedPid);
    assertThat(RECORD.get("restarted-pid")).isNotEqualTo(pausedPid);
    assertThat(RECORD.get("restarted-port")).isEqualTo(RECORD.get("paused-port"));
    assertThat(isAlive((Long) RECORD.get("restarted-pid"))).isFalse();
    assertRefused((Integer) RECORD.get("paused-port"));
  }

  @Test
  void methodServerIsItsOwnAndStoppedAfterTheMethod() {
    Events tests = run(MethodFixture.class);

    tests.assertStatistics(stats -> stats.started(2).succeeded(2));
    assertThat(RECORD.get("method-port")).isNotEqualTo(RECORD.get("shared-port"));
    assertThat(RECORD.get("method-pid-alive-in-next-test")).isEqualTo(false);
  }

  @Test
  void twoClassesShareOneServerWhichStopsWithTheRun() {
    Events tests =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(SharedFixtureA.class), selectClass(SharedFixtureB.class))
            .execute()
            .testEvents();

    tests.assertStatistics(stats -> stats.started(2).succeeded(2));
    assertThat(RECORD.get("A")).isNotNull().isEqualTo(RECORD.get("B"));
    int port = java.net.URI.create((String) RECORD.get("A")).getPort();
    if (System.getenv(RedisProvisioner.URL_VARIABLE) == null) {
      assertRefused(port);
    } else {
      assertThat(RECORD.get("A")).isEqualTo(System.getenv(RedisProvisioner.URL_VARIABLE));
    }
  }

  private static Events run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(fixture))
        .execute()
        .testEvents();
  }

  private static void assertRefused(int port) {
    RedisAssertions.assertConnectionRefused(
        () -> {
          // RESP2 as the kit's own connections: Jedis warns about auto-negotiation otherwise
          try (Jedis jedis =
              new Jedis(
                  new redis.clients.jedis.HostAndPort("127.0.0.1", port),
                  redis.clients.jedis.DefaultJedisClientConfig.builder()
                      .timeoutMillis(500)
                      .autoNegotiateProtocol(false)
                      .build())) {
            jedis.ping();
          }
        });
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @DedicatedRedis
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class HealingFixture {
    @Test
    @Order(1)
    void failsWhileTheServerIsPaused(TestRedis redis) {
      RECORD.put("paused-pid", redis.pid());
      RECORD.put("paused-port", redis.port());
      try (Jedis jedis = redis.connect(Duration.ofSeconds(1))) {
        jedis.set("left-by-the-failed-test", "1");
      }
      redis.pause();
      throw new AssertionError("fixture fails on purpose with its server paused");
    }

    @Test
    @Order(2)
    void findsItResumedThenStopsIt(TestRedis redis) {
      assertThat(redis.ping()).isEqualTo("PONG");
      RECORD.put("resumed-pid", redis.pid());
      redis.stop();
    }

    @Test
    @Order(3)
    void findsItStartedAgainAndEmpty(TestRedis redis) {
      assertThat(redis.ping()).isEqualTo("PONG");
      try (Jedis jedis = redis.connect(Duration.ofSeconds(1))) {
        assertThat(jedis.exists("left-by-the-failed-test")).isFalse();
      }
      RECORD.put("restarted-pid", redis.pid());
      RECORD.put("restarted-port", redis.port());
    }
  }

  @ExtendWith(RedisExtension.class)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class MethodFixture {
    @Test
    @Order(1)
    @DedicatedRedis
    void getsItsOwnManagedServer(TestRedis redis) {
      assertThat(redis.isManaged()).isTrue();
      RECORD.put("method-pid", redis.pid());
      RECORD.put("method-port", redis.port());
    }

    @Test
    @Order(2)
    void getsTheSharedServer(TestRedis redis) {
      assertThat(redis.isManaged()).isFalse();
      RECORD.put("shared-port", redis.port());
      RECORD.put("method-pid-alive-in-next-test", isAlive((Long) RECORD.get("method-pid")));
    }
  }

  @ExtendWith(RedisExtension.class)
  static class SharedFixtureA {
    @Test
    void records(TestRedis redis) {
      assertThat(redis.ping()).isEqualTo("PONG");
      RECORD.put("A", redis.url());
    }
  }

  @ExtendWith(RedisExtension.class)
  static class SharedFixtureB {
    @Test
    void records(TestRedis redis) {
      assertThat(redis.ping()).isEqualTo("PONG");
      RECORD.put("B", redis.url());
    }
  }
}
