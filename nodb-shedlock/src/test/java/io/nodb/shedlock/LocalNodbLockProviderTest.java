package io.nodb.shedlock;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ShedLock provider contract on the local (file) backend. */
class LocalNodbLockProviderTest extends NodbLockProviderContract {

  @TempDir Path runs;

  @Override
  protected LockClientBuilder builder() {
    return LockClient.builder().local(runs);
  }
}
