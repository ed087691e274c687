package io.nodb.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.MissingModuleException;
import org.junit.jupiter.api.Test;

/** nodb-store without nodb-lock-redis: asking for the Redis cache names the module to add. */
class WithoutRedisModuleTest {

  @Test
  void theRedisCacheNamesTheModuleToAdd() {
    assertThatThrownBy(() -> NoDbStore.builder().redisCache("redis://cache:6379"))
        .isInstanceOf(MissingModuleException.class)
        .hasMessageContaining("io.nodb:nodb-lock-redis");
  }
}
