package io.nodb.lock;

import io.nodb.testing.contract.LockClientContract;
import io.nodb.testing.redis.RunIds;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The lock client contract against the local backend (files and OS locks, no server). */
class LocalLockClientContractIT extends LockClientContract {

  @TempDir Path runsRoot;

  @Override
  protected LockClientBuilder builder() {
    return LockClient.builder().local(runsRoot);
  }

  @Override
  protected String newRunId() {
    return RunIds.unique("local");
  }
}
