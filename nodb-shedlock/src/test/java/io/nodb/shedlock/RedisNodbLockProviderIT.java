package io.nodb.shedlock;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.TestRedis;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ShedLock provider contract on a real Redis (the kit's shared server). */
@ExtendWith(RedisExtension.class)
class RedisNodbLockProviderIT extends NodbLockProviderContract {

  private final TestRedis redis;

  RedisNodbLockProviderIT(TestRedis redis) {
    this.redis = redis;
  }

  @Override
  protected LockClientBuilder builder() {
    return LockClient.builder().redis(redis.url());
  }
}
