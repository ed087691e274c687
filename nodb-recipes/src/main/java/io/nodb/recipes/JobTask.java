package io.nodb.recipes;

/** The work of a scheduled job run by {@link ExclusiveJobs}; it may throw any exception. */
@FunctionalInterface
public interface JobTask {

  /**
   * Does the work.
   *
   * @throws Exception if it fails; the firing's outcome is then {@link JobOutcome.Status#FAILED}
   */
  void run() throws Exception;
}
