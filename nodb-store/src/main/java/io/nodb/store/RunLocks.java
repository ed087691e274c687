package io.nodb.store;

import io.nodb.lock.LockClient;
import io.nodb.lock.internal.RunDomains;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Gives the lock client for a run directory: one shared client (Redis, or a fixed local runs root),
 * or, for the default local backend, one client per runs root (the run directory's parent) so lock
 * files always live in {@code <run>/.nodb-locks/} ({@link RunIdentity}: the top-level run's for a
 * nested run). Thread-safe; closes the clients it created.
 */
final class RunLocks implements AutoCloseable {

  private final LockClient shared;
  private final Function<Path, LockClient> perRoot;
  private final boolean owned;
  private final Map<Path, LockClient> byRoot = new ConcurrentHashMap<>();
  private final RunDomains domains = new RunDomains();

  private RunLocks(LockClient shared, Function<Path, LockClient> perRoot, boolean owned) {
    this.shared = shared;
    this.perRoot = perRoot;
    this.owned = owned;
  }

  static RunLocks shared(LockClient client, boolean owned) {
    return new RunLocks(client, null, owned);
  }

  static RunLocks perRunsRoot(Function<Path, LockClient> factory) {
    return new RunLocks(null, factory, true);
  }

  /**
   * Returns the client that locks {@code run}, after checking that the run is recorded for its lock
   * domain (recording it on first use). The identity is resolved by the caller, once per bound
   * controller, so a mutation walks no path here.
   *
   * @throws io.nodb.lock.LockDomainException if the run is recorded for another domain
   */
  LockClient forRun(RunIdentity run) {
    // a nested run is locked, and recorded for its domain, as the top-level run that holds it
    Path lockRun = run.lockRun();
    LockClient client =
        shared != null ? shared : byRoot.computeIfAbsent(lockRun.getParent(), perRoot);
    domains.check(lockRun, client);
    return client;
  }

  @Override
  public void close() {
    if (owned) {
      if (shared != null) {
        shared.close();
      }
      byRoot.values().forEach(LockClient::close);
    }
  }
}
