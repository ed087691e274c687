package io.nodb.recipes;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodb.MissingModuleException;
import org.junit.jupiter.api.Test;

/** nodb-recipes without nodb-lock-redis: a Redis value store names the module to add. */
class WithoutRedisModuleTest {

  @Test
  void aRedisValueStoreNamesTheModuleToAdd() {
    assertThatThrownBy(
            () ->
                RedisValueStore.builder("redis://cache:6379", "prices", ValueCodec.strings())
                    .build())
        .isInstanceOf(MissingModuleException.class)
        .hasMessageContaining("io.nodb:nodb-lock-redis");
  }
}
