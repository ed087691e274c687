package io.nodb.tools;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockClientBuilder;
import io.nodb.recipes.ExclusiveJobs;
import java.time.Duration;

/**
 * A process that runs one {@link ExclusiveJobs} job on Redis until its stdin is closed: a real
 * recipe holder (lock namespace {@code job:<namespace>}) for CLI tests. Run as {@code JobHolder
 * <redis-url> <namespace> <job-id>}; prints {@code running} once the job's lock is taken, and the
 * outcome when the job ends. Single-threaded.
 */
public final class JobHolder {

  private JobHolder() {}

  /**
   * Runs the job.
   *
   * @param args Redis URL, namespace, job id
   */
  public static void main(String[] args) {
    LockClientBuilder builder = LockClient.builder();
    if (args[0].startsWith("local:")) {
      builder.local(java.nio.file.Path.of(args[0].substring("local:".length())));
    } else {
      builder.redis(args[0]);
    }
    try (LockClient client = builder.build();
        ExclusiveJobs jobs = ExclusiveJobs.builder(client).namespace(args[1]).build()) {
      var outcome =
          jobs.run(
              args[2],
              Duration.ofSeconds(60),
              () -> {
                System.out.println("running");
                System.out.flush();
                while (System.in.read() >= 0) {
                  // wait for the end of stdin
                }
              });
      System.out.println(outcome.status());
      System.out.flush();
    }
  }
}
