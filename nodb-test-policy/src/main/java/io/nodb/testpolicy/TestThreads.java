package io.nodb.testpolicy;

import java.util.concurrent.Executor;

/**
 * The executor tests give {@code CompletableFuture.*Async}: one daemon thread per task, never the
 * common pool, which has a single worker on 2 cores under JDK 25 (two blocking tasks deadlock
 * there). Stateless and thread-safe.
 */
public final class TestThreads {

  /** Runs each task on a new daemon thread named {@code test-async}. */
  public static final Executor PER_TASK =
      task -> {
        Thread t = new Thread(task, "test-async");
        t.setDaemon(true);
        t.start();
      };

  private TestThreads() {}
}
