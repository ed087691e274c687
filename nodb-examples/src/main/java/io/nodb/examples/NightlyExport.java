package io.nodb.examples;

import io.nodb.lock.LockClient;
import io.nodb.recipes.ExclusiveJobs;
import io.nodb.recipes.JobOutcome;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A scheduled job that every instance fires and exactly one runs. */
public final class NightlyExport {

  private static final Logger log = LoggerFactory.getLogger(NightlyExport.class);

  private final Runnable exportInvoices;

  /**
   * Creates the job.
   *
   * @param exportInvoices the work
   */
  public NightlyExport(Runnable exportInvoices) {
    this.exportInvoices = exportInvoices;
  }

  /**
   * One firing of the schedule.
   *
   * @param locks the shared lock client
   * @return what happened
   */
  public JobOutcome fire(LockClient locks) {
    // docs:begin exclusive-jobs
    ExclusiveJobs jobs =
        ExclusiveJobs.builder(locks)
            .namespace("billing")
            .holdAtLeast(Duration.ofSeconds(10))
            .build();

    JobOutcome o = jobs.run("invoice-export", Duration.ofMinutes(2), () -> exportInvoices());
    switch (o.status()) {
      case RAN -> log.info("exported in {}", o.took());
      case SKIPPED ->
          log.info("{}", o); // SKIPPED invoice-export: already running on host-b:4711 ...
      case FAILED -> log.error("export failed", o.failure().orElseThrow());
    }
    // docs:end exclusive-jobs
    jobs.close();
    return o;
  }

  private void exportInvoices() {
    exportInvoices.run();
  }
}
