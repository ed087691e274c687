package io.nodb.store;

import io.nodb.lock.LockClient;
import io.nodb.testing.contract.StoreSafetyContract;
import io.nodb.testing.redis.RunIds;
import java.nio.file.Path;

/** The store safety contract on the local lock backend (lock files in each run directory). */
class LocalStoreSafetyIT extends StoreSafetyContract {

  @Override
  protected LockClient newLockClient(Path runsRoot) {
    return LockClient.builder().local(runsRoot).build();
  }

  @Override
  protected String newRunId() {
    return RunIds.unique("store");
  }
}
