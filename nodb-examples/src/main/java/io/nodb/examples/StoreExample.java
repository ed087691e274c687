package io.nodb.examples;

import io.nodb.lock.LockClient;
import io.nodb.store.NoDbStore;
import java.nio.file.Path;
import java.util.List;

/** Creates a run's controller, then uses it as any thread or process would. */
public final class StoreExample {

  /**
   * Creates run-7's treatments and applies two.
   *
   * @param runsRoot the directory that holds the run directories
   * @return the treatments as read back from the file
   */
  public static List<String> treatRun(Path runsRoot) {
    Path run = runsRoot.resolve("run-7");
    try (LockClient locks = LockClient.builder().fromEnvironment(runsRoot).build();
        NoDbStore store = NoDbStore.builder().lockClient(locks).build()) {

      // A new run has no treatments.nodb yet: create it (getInstance would throw
      // NoDbNotFoundException). create refuses to overwrite an existing file.
      store.create(Treatments.class, run, s -> s.applied.add("mulch"));

      // Everywhere else: one instance per (controller, run) per store, refreshed from disk.
      Treatments treatments = store.getInstance(Treatments.class, run);
      treatments.apply("thinning");
      return treatments.applied(); // [mulch, thinning]
    }
  }

  private StoreExample() {}
}
