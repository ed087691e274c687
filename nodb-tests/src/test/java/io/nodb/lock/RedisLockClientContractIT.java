package io.nodb.lock;

import io.nodb.testing.contract.LockClientContract;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lock client contract against a real Redis (the kit's shared server). */
@ExtendWith(RedisExtension.class)
class RedisLockClientContractIT extends LockClientContract {

  private final TestRedis redis;

  RedisLockClientContractIT(TestRedis redis) {
    this.redis = redis;
  }

  @Override
  protected LockClientBuilder builder() {
    return LockClient.builder().redis(redis.url());
  }

  @Override
  protected String newRunId() {
    return RunIds.unique("contract");
  }
}
