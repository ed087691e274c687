package io.nodb.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.MissingModuleException;
import org.junit.jupiter.api.Test;

/**
 * nodb-store without nodb-lock-redis: a store with the Redis cache names the module to add when it
 * is built (the setter only keeps the URL).
 */
class WithoutRedisModuleTest {

  @Test
  void theRedisCacheNamesTheModuleToAdd() {
    assertThatThrownBy(() -> NoDbStore.builder().redisCache("redis://cache:6379").build())
        .isInstanceOf(MissingModuleException.class)
        .hasMessageContaining("io.nodb:nodb-lock-redis");
  }
}
