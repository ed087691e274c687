package io.nodb.recipes;

import io.micrometer.core.instrument.MeterRegistry;
import io.nodb.lock.LockAttempt;
import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockNamespace;
import io.nodb.lock.LockOptions;
import io.nodb.lock.Ticker;
import io.nodb.recipes.internal.JobCounters;
import io.nodb.recipes.internal.RecipeKeys;
import io.nodb.recipes.internal.RecipeLog;
import io.nodb.recipes.internal.RecipeMeters;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Runs scheduled jobs on at most one instance at a time: when several scheduler instances fire the
 * same schedule, one runs the task and the others skip at once.
 *
 * <pre>{@code
 * ExclusiveJobs jobs =
 *     ExclusiveJobs.builder(lockClient).namespace("billing").holdAtLeast(Duration.ofSeconds(10)).build();
 *
 * // in every instance's scheduler, e.g. every hour:
 * JobOutcome outcome = jobs.run("invoice-export", Duration.ofMinutes(2), () -> exportInvoices());
 * if (outcome.status() == JobOutcome.Status.SKIPPED) {
 *   log.info("{}", outcome); // "SKIPPED invoice-export: already running on host-b:4711 since ..."
 * }
 * }</pre>
 *
 * <p>A firing takes the lock {@code (job:<namespace>, <jobId>)} with {@link LockClient#attempt} (it
 * never waits). If another instance holds it, the outcome is {@link JobOutcome.Status#SKIPPED} with
 * that holder, read in the same call. Otherwise the task runs on the calling thread while the lock
 * client renews the lease every third of it, however long the task takes; a crashed runner stops
 * renewing and its lock expires after one lease, so the next firing after that runs. With a
 * hold-at-least time the lock is released with {@link LockHandle#releaseHoldingFor}: the backend
 * keeps the key until that much time has passed since the acquisition, even if the task finished
 * sooner or failed, so another instance whose trigger fires a moment later skips instead of running
 * the job again. Renewal stops when the task ends and no timer is left here, so a runner that
 * crashes during the hold does not shorten it.
 *
 * <p>If the lock backend cannot be reached, the task is not run and the outcome is {@link
 * JobOutcome.Status#FAILED} with the backend's exception (not knowing whether another instance runs
 * it, running would risk a duplicate). A lock lost while the task runs is logged at WARN; the task
 * is not interrupted. An {@link Error} thrown by the task is not turned into an outcome: it
 * propagates unchanged from {@code run} (counted as failed), and the job is released as after any
 * failure (at once, or at the end of the hold), with its renewal stopped.
 *
 * <p>Thread-safe; one instance per namespace is enough. {@link #close()} refuses new firings. The
 * lock client is shared, not closed.
 */
public final class ExclusiveJobs implements AutoCloseable {

  private final LockClient locks;
  private final String namespace;
  private final String what;
  private final LockNamespace lockNamespace;
  private final Duration defaultHold;
  private final Ticker ticker;
  private final JobCounters counters = new JobCounters();
  private volatile boolean closed;

  private ExclusiveJobs(Builder b) {
    this.locks = b.locks;
    this.namespace = b.namespace;
    this.what = "jobs '" + b.namespace + "'";
    this.lockNamespace = RecipeKeys.namespace(LockNamespace.JOB, b.namespace);
    this.defaultHold = b.holdAtLeast;
    this.ticker = b.ticker;
    if (b.meterRegistry != null) {
      RecipeMeters.bindJobs(b.meterRegistry, namespace, counters);
    }
  }

  /**
   * Returns a builder.
   *
   * @param locks the lock client (Redis for several hosts, local files for one host); shared, not
   *     owned
   * @return the builder
   */
  public static Builder builder(LockClient locks) {
    return new Builder(locks);
  }

  /**
   * Runs the task unless another instance holds the job, with the default hold-at-least time.
   *
   * @param jobId the job: one or more {@code /}-separated segments of {@code [A-Za-z0-9._-]}
   * @param lease how long a crashed runner blocks the job; renewed while the task runs
   * @param task the work
   * @return RAN, SKIPPED (with the holder) or FAILED (with the cause)
   * @throws io.nodb.InvalidLockNamespaceException if the job id is not a valid lock name (the
   *     message names the job namespace)
   * @throws IllegalArgumentException if the lease is outside 10 ms..24 h
   */
  public JobOutcome run(String jobId, Duration lease, JobTask task) {
    return run(jobId, lease, defaultHold, task);
  }

  /**
   * Runs the task unless another instance holds the job, keeping the job at least {@code
   * holdAtLeast} from the start of this firing.
   *
   * @param jobId the job: one or more {@code /}-separated segments of {@code [A-Za-z0-9._-]}
   * @param lease how long a crashed runner blocks the job; renewed while the task runs
   * @param holdAtLeast zero or more
   * @param task the work
   * @return RAN, SKIPPED (with the holder) or FAILED (with the cause)
   * @throws io.nodb.InvalidLockNamespaceException if the job id is not a valid lock name (the
   *     message names the job namespace)
   * @throws IllegalArgumentException if the lease is outside 10 ms..24 h or the hold outside 0..24
   *     h
   * @throws IllegalStateException if this instance was closed
   */
  public JobOutcome run(String jobId, Duration lease, Duration holdAtLeast, JobTask task) {
    if (closed) {
      throw new IllegalStateException("ExclusiveJobs " + namespace() + " is closed");
    }
    LockOptions options = LockOptions.lease(lease);
    // checked before the job is taken: a refused hold at the end would leave the lock held
    LockOptions.requireHold(holdAtLeast, "holdAtLeast");
    Objects.requireNonNull(task, "task");
    LockKey key = jobKey(jobId);
    long start = ticker.read();
    LockAttempt attempt;
    try {
      attempt = locks.attempt(key, options);
    } catch (RuntimeException e) {
      counters.failed.increment();
      RecipeLog.jobBackendFailed(what, jobId, e);
      return JobOutcome.failed(jobId, e, since(start));
    }
    Optional<LockHandle> acquired = attempt.handle();
    if (acquired.isEmpty()) {
      Optional<LockInfo> holder = attempt.holder(); // read in the same call that found it held
      counters.skipped.increment();
      RecipeLog.jobSkipped(what, jobId, holder.map(LockInfo::describe).orElse("(just finished)"));
      return JobOutcome.skipped(jobId, holder, since(start));
    }
    LockHandle handle = acquired.get();
    Exception failure = null;
    try {
      handle.addLossListener(loss -> RecipeLog.jobLockLost(what, jobId, loss));
      task.run();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      failure = e;
    } catch (Throwable t) {
      // an Error: the job is released (at the end of its hold) like after any failure, and the
      // error propagates unchanged
      counters.failed.increment();
      throw t;
    } finally {
      end(handle, holdAtLeast);
    }
    if (failure != null) {
      counters.failed.increment();
      RecipeLog.jobFailed(what, jobId, failure);
      return JobOutcome.failed(jobId, failure, since(start));
    }
    counters.ran.increment();
    return JobOutcome.ran(jobId, since(start));
  }

  /**
   * Ends a firing: releases now, or keeps the key until the end of the hold with one owner-checked
   * backend call ({@link LockHandle#releaseHoldingFor}); the lock client's renewal stops either
   * way. Never throws.
   */
  private static void end(LockHandle handle, Duration holdAtLeast) {
    if (holdAtLeast.isZero()) {
      handle.release();
    } else {
      handle.releaseHoldingFor(holdAtLeast);
    }
  }

  private Duration since(long start) {
    return Duration.ofNanos(ticker.read() - start);
  }

  private LockKey jobKey(String jobId) {
    try {
      return LockKey.of(lockNamespace, jobId);
    } catch (io.nodb.InvalidRunIdException badName) {
      // the namespace is this instance's, checked at build: only the job id can be wrong
      throw new io.nodb.InvalidLockNamespaceException(
          "invalid job id "
              + (jobId == null ? "null" : "'" + jobId.replace("\0", "\\0") + "'")
              + " in job namespace '"
              + namespace()
              + "': expected '/'-separated segments of [A-Za-z0-9._-] (at most 255 characters),"
              + " none of them '.' or '..'");
    }
  }

  /** Returns the namespace (the lock namespace is {@code job:<namespace>}). */
  public String namespace() {
    return namespace;
  }

  /** Returns how many firings ran, were skipped, and failed, in that order. */
  public List<Long> counts() {
    return List.of(counters.ran.sum(), counters.skipped.sum(), counters.failed.sum());
  }

  /**
   * Refuses new firings. Firings already running finish as usual (their leases are renewed by the
   * shared lock client until their tasks end); holds live in the lock backend, so nothing is left
   * running here. Never throws.
   */
  @Override
  public void close() {
    closed = true;
  }

  /**
   * Configures {@link ExclusiveJobs}. Defaults: namespace {@code default}, no hold-at-least time.
   * Not thread-safe.
   */
  public static final class Builder {
    private final LockClient locks;
    private String namespace = "default";
    private Duration holdAtLeast = Duration.ZERO;
    private Ticker ticker = Ticker.system();
    private @Nullable Object meterRegistry;

    private Builder(LockClient locks) {
      this.locks = Objects.requireNonNull(locks, "locks");
    }

    /**
     * Sets the namespace: job locks live in the lock namespace {@code job:<namespace>} ({@link
     * LockNamespace#JOB}).
     *
     * @param namespace 1-128 characters of {@code [A-Za-z0-9._-]}, starting with a letter or digit,
     *     no {@code ..}
     * @return this builder
     * @throws io.nodb.InvalidLockNamespaceException if the namespace is invalid
     */
    public Builder namespace(String namespace) {
      RecipeKeys.namespace(LockNamespace.JOB, namespace);
      this.namespace = namespace;
      return this;
    }

    /**
     * Sets the default hold-at-least time of {@link #run(String, Duration, JobTask)}.
     *
     * @param hold zero to {@link LockOptions#MAX_HOLD}
     * @return this builder
     * @throws IllegalArgumentException if the hold is negative or above 24 h
     */
    public Builder holdAtLeast(Duration hold) {
      this.holdAtLeast = LockOptions.requireHold(hold, "holdAtLeast");
      return this;
    }

    /**
     * Sets the monotonic clock for the durations reported in outcomes (holds are judged by the lock
     * client's ticker).
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Exports counters {@code nodb.jobs.runs} tagged {@code namespace} and {@code outcome}.
     * Micrometer is optional; without this call none is loaded.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Builds the runner; it starts no thread (the lock client renews leases and the backend keeps
     * holds).
     *
     * @return the runner
     */
    public ExclusiveJobs build() {
      return new ExclusiveJobs(this);
    }
  }
}
