package io.nodb.tools.scenario;

import java.util.concurrent.Executor;

/**
 * The executor the scenarios give {@code CompletableFuture.*Async}: one daemon thread per task,
 * never the common pool, which has a single worker on 2 cores under JDK 25 (two blocking tasks
 * deadlock there). Stateless.
 */
final class ScenarioThreads {

  /** Runs each task on a new daemon thread named {@code nodb-scenario}. */
  static final Executor PER_TASK =
      task -> {
        Thread t = new Thread(task, "nodb-scenario");
        t.setDaemon(true);
        t.start();
      };

  private ScenarioThreads() {}
}
