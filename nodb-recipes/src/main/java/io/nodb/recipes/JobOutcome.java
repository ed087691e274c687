package io.nodb.recipes;

import io.nodb.lock.LockInfo;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one firing of an exclusive job did: {@link Status#RAN}, {@link Status#SKIPPED} (with the
 * instance that holds the job) or {@link Status#FAILED} (with the cause).
 *
 * <p>Immutable and thread-safe.
 */
public final class JobOutcome {

  /** The kind of outcome. */
  public enum Status {
    /** This instance ran the task and it returned normally. */
    RAN,
    /** Another instance holds the job (it is running, or within its hold-at-least time). */
    SKIPPED,
    /** The task threw, or the lock could not be taken because the backend failed. */
    FAILED
  }

  private final String jobId;
  private final Status status;
  private final @Nullable LockInfo holder;
  private final @Nullable Throwable failure;
  private final Duration took;

  private JobOutcome(
      String jobId,
      Status status,
      @Nullable LockInfo holder,
      @Nullable Throwable failure,
      Duration took) {
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.status = status;
    this.holder = holder;
    this.failure = failure;
    this.took = took;
  }

  static JobOutcome ran(String jobId, Duration took) {
    return new JobOutcome(jobId, Status.RAN, null, null, took);
  }

  static JobOutcome skipped(String jobId, Optional<LockInfo> holder, Duration took) {
    return new JobOutcome(jobId, Status.SKIPPED, holder.orElse(null), null, took);
  }

  static JobOutcome failed(String jobId, Throwable cause, Duration took) {
    return new JobOutcome(jobId, Status.FAILED, null, Objects.requireNonNull(cause), took);
  }

  /** Returns the job. */
  public String jobId() {
    return jobId;
  }

  /** Returns the kind of outcome. */
  public Status status() {
    return status;
  }

  /** Returns whether the task ran and returned normally. */
  public boolean ran() {
    return status == Status.RAN;
  }

  /**
   * Returns, for {@link Status#SKIPPED}, who holds the job: {@link LockInfo#host()}, {@link
   * LockInfo#pid()} and since when ({@link LockInfo#acquiredAt()}). Empty otherwise, and empty for
   * a skip whose holder released the job between the attempt and the look-up.
   */
  public Optional<LockInfo> holder() {
    return Optional.ofNullable(holder);
  }

  /** Returns, for {@link Status#FAILED}, the task's exception or the backend failure. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** Returns how long the firing took (the task's run time for RAN and FAILED). */
  public Duration took() {
    return took;
  }

  @Override
  public String toString() {
    return switch (status) {
      case RAN -> "RAN " + jobId + " in " + took.toMillis() + " ms";
      case SKIPPED ->
          "SKIPPED "
              + jobId
              + ": already running on "
              + (holder == null
                  ? "another instance (it finished meanwhile)"
                  : holder.host() + ":" + holder.pid() + " since " + holder.acquiredAt());
      case FAILED -> "FAILED " + jobId + ": " + failure;
    };
  }
}
