package io.nodb.shedlock;

import io.nodb.lock.LockAttempt;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.LockOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.support.LockException;

/**
 * A ShedLock {@link ExtensibleLockProvider} backed by a nodb {@link LockClient} (Redis for several
 * hosts, local files for one), so {@code @SchedulerLock} jobs get nodb's fencing, audit trail and
 * CLI ({@code nodb status}, {@code nodb unlock --force}) for free.
 *
 * <p>Mapping: the ShedLock name becomes the nodb key {@code (shedlock:<namespace>, }{@link
 * ShedLockNames#encode encoded name}{@code )}, in the lock namespace {@code
 * LockNamespace.of(}{@value #NAMESPACE_KIND}{@code , namespace)} (never a run's); {@code
 * lockAtMostFor} is the lease, without renewal (ShedLock's model: a crashed runner frees the job
 * after {@code lockAtMostFor}); {@code lockAtLeastFor} is kept at unlock by {@link
 * LockHandle#releaseHoldingFor}, measured from the acquisition (or from the extension, for an
 * extended lock); {@code extend} is {@link LockHandle#tryExtend}. A lock held by another instance,
 * or by an earlier unlock still within its {@code lockAtLeastFor}, gives {@link Optional#empty()}.
 *
 * <p>Limits: {@code lockAtMostFor} must be at least 10 ms (nodb refuses shorter leases, which could
 * expire before a round trip) and at most 24 h ({@link LockOptions#MAX_LEASE}), at lock and at
 * extend; a name whose encoding exceeds 255 characters is refused. Both throw {@link
 * IllegalArgumentException}, before anything is locked. A hold ({@code lockAtLeastFor}, counted
 * from the acquisition) is cut to 24 h ({@link LockOptions#MAX_HOLD}). A lock backend that cannot
 * be reached throws ShedLock's {@link LockException} (with nodb's exception as cause), which
 * ShedLock reports and treats as "not locked".
 *
 * <p>Thread-safe. The lock client is shared, not closed by this provider.
 */
public final class NodbLockProvider implements ExtensibleLockProvider {

  /** The kind of the {@link LockNamespace} a provider's locks live in. */
  public static final String NAMESPACE_KIND = "shedlock";

  private final LockClient locks;
  private final LockNamespace namespace;

  private NodbLockProvider(LockClient locks, LockNamespace namespace) {
    this.locks = locks;
    this.namespace = namespace;
  }

  /**
   * Creates a provider whose locks live in the lock namespace {@code shedlock:default}.
   *
   * @param locks the lock client; shared, not owned
   * @return the provider
   */
  public static NodbLockProvider create(LockClient locks) {
    return create(locks, "default");
  }

  /**
   * Creates a provider whose locks live in the lock namespace {@code shedlock:<namespace>}.
   *
   * @param locks the lock client; shared, not owned
   * @param namespace 1-128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit,
   *     no {@code ..}
   * @return the provider
   * @throws io.nodb.InvalidLockNamespaceException if the namespace is not acceptable (the message
   *     names the kind {@code shedlock})
   */
  public static NodbLockProvider create(LockClient locks, String namespace) {
    Objects.requireNonNull(locks, "locks");
    Objects.requireNonNull(namespace, "namespace");
    return new NodbLockProvider(locks, LockNamespace.of(NAMESPACE_KIND, namespace));
  }

  /** Returns the nodb lock namespace that holds this provider's locks ({@code shedlock:<ns>}). */
  public LockNamespace namespace() {
    return namespace;
  }

  /**
   * Returns the nodb key a ShedLock name maps to (for {@code nodb status} or a forced unlock).
   *
   * @param shedLockName the name
   * @return the key
   * @throws IllegalArgumentException if the name is too long
   */
  public LockKey keyOf(String shedLockName) {
    return ShedLockNames.key(namespace, shedLockName);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code lockAtMostFor} is outside 10 ms..24 h or the name
   *     too long
   * @throws LockException if the lock backend cannot be reached
   */
  @Override
  public Optional<SimpleLock> lock(LockConfiguration configuration) {
    LockKey key = keyOf(configuration.getName());
    LockOptions options = LockOptions.lease(configuration.getLockAtMostFor()).withoutRenewal();
    long start = System.nanoTime();
    LockAttempt attempt;
    try {
      attempt = locks.attempt(key, options);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new LockException("nodb could not lock " + key + ": " + e.getMessage(), e);
    }
    return attempt
        .handle()
        .map(h -> new NodbSimpleLock(configuration, h, start, configuration.getLockAtLeastFor()));
  }

  @Override
  public String toString() {
    return "NodbLockProvider[" + namespace + " on " + locks.backendDescription() + "]";
  }

  /**
   * One ShedLock lock on one nodb handle. An extension gives a new instance on the same handle (the
   * old one is then invalid, as ShedLock requires).
   */
  private static final class NodbSimpleLock extends AbstractSimpleLock {
    private final LockHandle handle;
    private final long acquiredNanos;
    private final long holdFromAcquisitionNanos;

    /** A fresh lock: its lockAtLeastFor counts from the acquisition. */
    NodbSimpleLock(
        LockConfiguration configuration, LockHandle handle, long acquiredNanos, Duration atLeast) {
      this(configuration, handle, acquiredNanos, 0, atLeast);
    }

    /**
     * @param acquiredNanos {@code System.nanoTime()} taken before the acquire was sent
     * @param sinceAcquiredNanos when this configuration's lockAtLeastFor starts, after the
     *     acquisition (0 for a fresh lock, the extension's time for an extended one)
     * @param atLeast this configuration's lockAtLeastFor
     */
    private NodbSimpleLock(
        LockConfiguration configuration,
        LockHandle handle,
        long acquiredNanos,
        long sinceAcquiredNanos,
        Duration atLeast) {
      super(configuration);
      this.handle = handle;
      this.acquiredNanos = acquiredNanos;
      // the hold is measured from the acquisition: this configuration's lockAtLeastFor counts
      // from when it was made (for an extension, later than the acquisition)
      this.holdFromAcquisitionNanos = Math.max(0, sinceAcquiredNanos) + atLeast.toNanos();
    }

    @Override
    protected void doUnlock() {
      // an extended lock's hold may pass the bound: a longer hold is cut to it, never refused
      // (a refusal would leave the lock held to the end of its lease)
      handle.releaseHoldingFor(
          Duration.ofNanos(Math.min(holdFromAcquisitionNanos, LockOptions.MAX_HOLD.toNanos())));
    }

    @Override
    protected Optional<SimpleLock> doExtend(LockConfiguration newConfiguration) {
      long now = System.nanoTime();
      if (!handle.tryExtend(newConfiguration.getLockAtMostFor())) {
        return Optional.empty();
      }
      return Optional.of(
          new NodbSimpleLock(
              newConfiguration,
              handle,
              acquiredNanos,
              now - acquiredNanos,
              newConfiguration.getLockAtLeastFor()));
    }
  }
}
