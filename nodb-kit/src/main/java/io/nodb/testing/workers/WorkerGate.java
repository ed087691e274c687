package io.nodb.testing.workers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The file-based start gate of the kit's worker mains: a worker prints {@code ready} and waits
 * until the parent creates the gate file, so workers of several JVMs start together. Stateless;
 * kept apart from {@link WorkerArgs} because it needs Awaitility, which the CLI does not ship.
 */
public final class WorkerGate {

  private WorkerGate() {}

  /**
   * Prints {@code ready} and waits until {@code file} exists (a start gate shared across JVMs),
   * polling every millisecond (Awaitility) for at most {@code timeout}.
   *
   * @param file the gate file; null means no gate
   * @param timeout the longest wait
   * @throws IllegalStateException if the gate does not open in time
   */
  public static void awaitGate(Path file, Duration timeout) {
    awaitGate(file, timeout, () -> {});
  }

  /**
   * As {@link #awaitGate(Path, Duration)}, running {@code eachPoll} before every look at the file
   * (about every millisecond), e.g. to note a held lock's validity deadline while waiting.
   *
   * @param file the gate file, or null for no gate
   * @param timeout how long to wait at most
   * @param eachPoll runs before each look
   * @throws IllegalStateException if the gate did not open in time
   */
  public static void awaitGate(Path file, Duration timeout, Runnable eachPoll) {
    System.out.println("ready");
    System.out.flush();
    if (file == null) {
      return;
    }
    try {
      Awaitility.await("gate " + file)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .pollInSameThread()
          .until(
              () -> {
                eachPoll.run();
                return Files.exists(file);
              });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("gate " + file + " did not open within " + timeout, e);
    }
  }
}
