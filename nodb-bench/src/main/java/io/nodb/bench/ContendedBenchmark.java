package io.nodb.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Contention inside one JVM: N threads on one key per lock, a discarded warm-up round, then timed
 * rounds interleaved between the locks. Every round is checked for mutual exclusion three ways
 * (unsynchronized counter, inside-counter, overlapping timestamps) and the run fails loudly if any
 * check fails.
 *
 * <p>Not thread-safe; runs on the calling thread.
 */
final class ContendedBenchmark {

  private final int threads;
  private final int rounds;
  private final long warmupNanos;
  private final long roundNanos;

  ContendedBenchmark(int threads, int rounds, long warmupNanos, long roundNanos) {
    this.threads = threads;
    this.rounds = rounds;
    this.warmupNanos = warmupNanos;
    this.roundNanos = roundNanos;
  }

  /**
   * Runs the scenario for every lock.
   *
   * @param locks the locks, in table order
   * @return one result per lock
   * @throws MutualExclusionViolation if any lock let two threads in at once
   */
  List<ContendedResult> run(List<ContendedLock> locks) throws InterruptedException {
    for (ContendedLock lock : locks) {
      runChecked(lock, warmupNanos);
      Progress.say("warmed up " + lock.label() + ", " + threads + " threads");
    }
    List<List<ContendedRound>> perLock = new ArrayList<>();
    locks.forEach(l -> perLock.add(new ArrayList<>()));
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < locks.size(); i++) {
        ContendedRound round = runChecked(locks.get(i), roundNanos);
        perLock.get(i).add(round);
        Progress.say("round " + (r + 1) + " " + locks.get(i).label() + ": " + Report.brief(round));
      }
    }
    List<ContendedResult> results = new ArrayList<>();
    for (int i = 0; i < locks.size(); i++) {
      results.add(
          new ContendedResult(
              locks.get(i).label() + ", " + threads + " threads in 1 JVM",
              perLock.get(i),
              "unsynchronized counter == acquisitions, at most 1 thread inside, no overlapping"
                  + " enter/exit timestamps"));
    }
    return results;
  }

  private ContendedRound runChecked(ContendedLock lock, long nanos) throws InterruptedException {
    ContendedLoop loop = new ContendedLoop(lock, threads, "", () -> {});
    ContendedLoop.Outcome out = loop.run(System.nanoTime() + 50_000_000L, nanos);
    if (out.counter() != out.acquisitions() || out.maxInside() != 1) {
      throw new MutualExclusionViolation(
          String.format(
              "%s: counter %d for %d acquisitions, at most %d threads inside at once",
              lock.label(), out.counter(), out.acquisitions(), out.maxInside()));
    }
    return ContendedRound.of(out.traces());
  }
}
