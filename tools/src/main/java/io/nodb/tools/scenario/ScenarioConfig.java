package io.nodb.tools.scenario;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The parameters of one scenario run. Immutable; build it with {@link Scenarios#config}, which
 * fills in the scenario's defaults for every option the caller left out.
 *
 * @param name the scenario name (one of {@link Scenarios#NAMES})
 * @param runDir the run directory to use, or null for a temporary one that is deleted afterwards
 * @param redisUrl the Redis URL, or null for the local backend
 * @param threads concurrent threads per process
 * @param processes worker JVMs (1 = everything in this JVM)
 * @param requests locked operations per thread
 * @param hold simulated work inside each critical section
 * @param lease the lease of the locks the scenario takes
 */
public record ScenarioConfig(
    String name,
    Path runDir,
    String redisUrl,
    int threads,
    int processes,
    int requests,
    Duration hold,
    Duration lease) {

  /**
   * Returns the backend as a worker argument: the Redis URL, or {@code -} for the local backend.
   * The kit's {@link io.nodb.testing.workers.WorkerJvm} takes a URL off the command line (readable
   * by every local user) and hands it to the worker in its environment.
   */
  String backendArg() {
    return redisUrl == null ? "-" : redisUrl;
  }
}
