package io.nodb.store;

import io.nodb.lock.LockClient;
import io.nodb.testing.contract.StoreContract;
import io.nodb.testing.junit.RedisExtension;
import io.nodb.testing.redis.RunIds;
import io.nodb.testing.redis.TestRedis;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract with locks in a real Redis. */
@ExtendWith(RedisExtension.class)
class RedisStoreContractIT extends StoreContract {

  private final TestRedis redis;

  RedisStoreContractIT(TestRedis redis) {
    this.redis = redis;
  }

  @Override
  protected LockClient newLockClient(Path runsRoot) {
    return LockClient.builder().redis(redis.url()).build();
  }

  @Override
  protected String newRunId() {
    return RunIds.unique("store");
  }
}
