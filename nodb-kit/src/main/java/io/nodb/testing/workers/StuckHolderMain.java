package io.nodb.testing.workers;

import io.nodb.lock.LockClient;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LockOptions;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.store.LockedScope;
import io.nodb.store.NoDbStore;
import io.nodb.testing.check.HoldRecord;
import io.nodb.testing.controllers.Counter;
import io.nodb.testing.controllers.CounterState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A worker that takes locks and then holds them until told to go on, so a test can crash it
 * (SIGKILL) or freeze it (SIGSTOP) while it holds. Arguments are {@code name=value}: {@code
 * backend}, {@code runsRoot}, {@code run}, {@code names} (comma-separated lock names, one thread
 * each), {@code lease} (ms, renewed by the watchdog while running), {@code goFile} (the holders
 * continue once it exists), {@code holds} (where to write the hold records), and optionally {@code
 * counterRun}: one more thread opens a locked scope on that run's {@link Counter}, adds 1,000,000
 * (a poison value that must never land), and commits after the go file appears.
 *
 * <p>Output: {@code holding <name> <fence>}, {@code holding-store <fence>} once held; {@code lost
 * <name> <reason>} when a loss listener is told; after the go file: {@code released <name>
 * <outcome>}, {@code commit ok} or {@code commit rejected <class> <reason>}; then {@code done}.
 */
public final class StuckHolderMain {

  private StuckHolderMain() {}

  /**
   * Runs the holder.
   *
   * @param args see the class comment
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    WorkerArgs a = WorkerArgs.parse(args);
    String run = a.get("run");
    Duration lease = a.millis("lease", Duration.ofSeconds(1));
    Path go = a.path("goFile");
    ConcurrentLinkedQueue<HoldRecord> holds = new ConcurrentLinkedQueue<>();
    long pid = ProcessHandle.current().pid();
    List<Thread> threads = new ArrayList<>();
    try (LockClient locks = a.lockClient();
        NoDbStore store =
            NoDbStore.builder()
                .lockClient(locks)
                .lease(lease)
                .lockWait(Duration.ofSeconds(60))
                .build()) {
      for (String name : a.get("names", "").split(",")) {
        if (name.isBlank()) {
          continue;
        }
        threads.add(
            new Thread(
                () -> {
                  LockHandle h =
                      locks.acquire(
                          LockKey.of(run, name),
                          LockOptions.lease(lease)
                              .withLossListener(
                                  loss -> WorkerArgs.say("lost " + name + " " + loss.reason())),
                          Duration.ofSeconds(60));
                  long enter = System.nanoTime();
                  long[] validUntil = {HoldRecord.validityDeadline(h, enter)};
                  WorkerArgs.say("holding " + name + " " + h.fence());
                  long exit;
                  ReleaseOutcome out;
                  try {
                    // the deadline as renewals push it, up to the moment the process is paused
                    awaitGo(
                        go, () -> validUntil[0] = HoldRecord.validityDeadline(h, validUntil[0]));
                  } finally {
                    validUntil[0] = HoldRecord.validityDeadline(h, validUntil[0]);
                    exit = System.nanoTime();
                    out = h.release();
                  }
                  holds.add(
                      new HoldRecord(
                          h.key().toString(),
                          h.fence(),
                          enter,
                          exit,
                          pid,
                          Thread.currentThread().getName(),
                          out,
                          validUntil[0]));
                  WorkerArgs.say("released " + name + " " + out);
                },
                "stuck-" + name));
      }
      Path counterRun = a.path("counterRun");
      if (counterRun != null) {
        Counter counter = store.getInstance(Counter.class, counterRun);
        threads.add(
            new Thread(
                () -> {
                  try (LockedScope<CounterState> scope = counter.lock()) {
                    scope.state().count += 1_000_000;
                    WorkerArgs.say("holding-store " + scope.lock().fence());
                    awaitGo(go, () -> {});
                    try {
                      scope.commit();
                      WorkerArgs.say("commit ok");
                    } catch (LockLostException e) {
                      WorkerArgs.say(
                          "commit rejected " + e.getClass().getName() + " " + e.reason());
                    } catch (RuntimeException e) {
                      WorkerArgs.say("commit rejected " + e.getClass().getName() + " -");
                    }
                  }
                },
                "stuck-store"));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
    }
    Path holdsFile = a.path("holds");
    if (holdsFile != null) {
      Files.write(holdsFile, holds.stream().map(HoldRecord::toLine).toList());
    }
    WorkerArgs.say("done");
    System.exit(0);
  }

  private static void awaitGo(Path go, Runnable eachPoll) {
    try {
      WorkerGate.awaitGate(go, Duration.ofMinutes(3), eachPoll);
    } catch (IllegalStateException e) {
      WorkerArgs.say("go file never appeared");
    }
  }
}
