package io.nodb.store;

import io.nodb.lock.LockClient;
import io.nodb.testing.contract.StoreContract;
import io.nodb.testing.redis.RunIds;
import java.nio.file.Path;

/** The store contract on the local lock backend (lock files in each run directory). */
class LocalStoreContractIT extends StoreContract {

  @Override
  protected LockClient newLockClient(Path runsRoot) {
    return LockClient.builder().local(runsRoot).build();
  }

  @Override
  protected String newRunId() {
    return RunIds.unique("store");
  }
}
