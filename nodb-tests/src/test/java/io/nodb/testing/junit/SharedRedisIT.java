package io.nodb.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

@ExtendWith(RedisExtension.class)
class SharedRedisIT {

  private static String beforeAllUrl;

  private final TestRedis fromConstructor;

  SharedRedisIT(TestRedis redis) {
    this.fromConstructor = redis;
  }

  @BeforeAll
  static void recordServer(TestRedis redis) {
    beforeAllUrl = redis.url();
  }

  @Test
  void constructorLifecycleMethodAndTestGetTheSameServer(TestRedis redis) {
    assertThat(redis.url()).isEqualTo(beforeAllUrl).isEqualTo(fromConstructor.url());
    assertThat(redis.ping()).isEqualTo("PONG");
  }

  @Test
  void sharedServerMayNotBeControlled(TestRedis redis) {
    assertThat(redis.isManaged()).isFalse();
    assertThatThrownBy(redis::stop)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@DedicatedRedis");
    assertThatThrownBy(redis::pause).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(redis::pid).isInstanceOf(IllegalStateException.class);
    assertThat(redis.isRunning()).isTrue();
    assertThat(redis.ping()).isEqualTo("PONG");
  }

  @Test
  void runIdsKeepTestsApartOnTheSharedServer(TestRedis redis) {
    String first = RunIds.unique("shared");
    String second = RunIds.unique("shared");
    try (Jedis jedis = redis.connect(TestRedis.DEFAULT_TIMEOUT)) {
      jedis.set("nodb-run:{" + first + "}", "first");
      jedis.set("nodb-run:{" + second + "}", "second");

      assertThat(jedis.get("nodb-run:{" + first + "}")).isEqualTo("first");
      assertThat(jedis.get("nodb-run:{" + second + "}")).isEqualTo("second");
      jedis.del("nodb-run:{" + first + "}", "nodb-run:{" + second + "}");
    }
  }
}
