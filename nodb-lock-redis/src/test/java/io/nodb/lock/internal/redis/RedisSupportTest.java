package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.internal.RedisSupport;
import org.junit.jupiter.api.Test;

/** The Redis module is found through the service loader (its registration is on the path). */
class RedisSupportTest {

  @Test
  void theRedisModuleIsFoundByTheServiceLoader() {
    assertThat(RedisSupport.load().getClass().getName())
        .isEqualTo("io.nodb.lock.internal.redis.RedisSupportProvider");
  }
}
