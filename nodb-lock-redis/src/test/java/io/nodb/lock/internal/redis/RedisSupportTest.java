package io.nodb.lock.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodb.lock.internal.RedisSupport;
import org.junit.jupiter.api.Test;

/**
 * The Redis module is found through the service loader. Surefire runs this module's tests on the
 * module path, where {@code META-INF/services} of a named module is ignored: so this also proves
 * the {@code uses} of io.nodb.lock and the {@code provides} of io.nodb.lock.redis.
 */
class RedisSupportTest {

  @Test
  void theRedisModuleIsFoundByTheServiceLoaderAsANamedModule() {
    RedisSupport found = RedisSupport.load();
    assertThat(found).isInstanceOf(RedisSupportProvider.class);
    assertThat(RedisSupport.class.getModule().getName()).isEqualTo("io.nodb.lock");
    assertThat(found.getClass().getModule().getName()).isEqualTo("io.nodb.lock.redis");
  }
}
