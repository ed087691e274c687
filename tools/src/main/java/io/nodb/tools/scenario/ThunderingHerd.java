package io.nodb.tools.scenario;

import io.nodb.controllers.Climate;
import io.nodb.store.NoDbStore;
import io.nodb.testing.check.CheckReport;
import io.nodb.testing.check.OverlapChecker;
import io.nodb.testing.sim.LockContentionSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code thundering-herd}: N threads (in each of P processes) are released together by a start gate
 * and each runs its requests through {@code climate.lock()}: increment a counter in the working
 * copy, hold (simulated work), commit (fenced dump). Waiters block in {@code acquire} and are woken
 * by each release; there is no retry loop and no sleep to wait. Checks: every request succeeds, no
 * two critical sections overlap, fences grow with entry time, the counter on disk equals the number
 * of commits (no lost update), and no write was rejected.
 */
final class ThunderingHerd implements Scenario {

  @Override
  public String describe(ScenarioConfig c) {
    return String.format(
        Locale.ROOT,
        "%d process(es) x %d threads x %d requests on climate.nodb, hold %d ms, lease %d ms",
        c.processes(),
        c.threads(),
        c.requests(),
        c.hold().toMillis(),
        c.lease().toMillis());
  }

  @Override
  public List<Invariant> run(ScenarioContext ctx) throws Exception {
    ScenarioConfig c = ctx.config();
    long before = counter(ctx);
    ctx.step("climate.nodb counter (parsedRecords) before: %d", before);
    if (c.processes() == 1) {
      ctx.step(
          "%d threads wait at a start gate, then all call climate.lock() at once", c.threads());
      work(
          ctx.store(), ctx.runDir(), c.threads(), c.requests(), c.hold(), ctx.recorder(), () -> {});
    } else {
      ctx.step(
          "%d worker JVMs x %d threads wait at a cross-process start gate, then all call"
              + " climate.lock() at once",
          c.processes(), c.threads());
      ScenarioWorker.runAll(workerArgs("herd", ctx), ctx.recorder());
    }
    long after = counter(ctx);
    Recorder rec = ctx.recorder();
    long ok = rec.count(Recorder.OK);
    long total = (long) c.processes() * c.threads() * c.requests();
    ctx.step("climate.nodb counter after: %d (%d commits)", after, ok);
    return commonInvariants(rec, total, before + ok - after);
  }

  /** The invariants of the contention scenarios (herd and playback). */
  static List<Invariant> commonInvariants(Recorder rec, long total, long lost) {
    CheckReport holds = OverlapChecker.check(rec.holds());
    long ok = rec.count(Recorder.OK);
    List<Invariant> inv = new ArrayList<>();
    inv.add(Invariant.count("requests that succeeded", total, ok));
    inv.add(
        Invariant.count(
            "overlapping critical sections", 0, holds.violations(OverlapChecker.OVERLAP)));
    inv.add(
        Invariant.count(
            "fences out of entry order", 0, holds.violations(OverlapChecker.FENCE_ORDER)));
    inv.add(Invariant.count("lost updates", 0, lost));
    inv.add(
        Invariant.count(
            "stale writes rejected",
            0,
            rec.count("stale") + rec.count("fenced") + rec.count("lost-expired")));
    return inv;
  }

  static List<List<String>> workerArgs(String mode, ScenarioContext ctx) {
    ScenarioConfig c = ctx.config();
    List<List<String>> all = new ArrayList<>();
    for (int i = 0; i < c.processes(); i++) { // the same arguments for each worker
      all.add(
          List.of(
              mode,
              ctx.runDir().toString(),
              c.backendArg(),
              Integer.toString(c.threads()),
              Integer.toString(c.requests()),
              Long.toString(c.hold().toMillis()),
              Long.toString(c.lease().toMillis())));
    }
    return all;
  }

  private static long counter(ScenarioContext ctx) {
    return ctx.store().ignoreLock(Climate.class, ctx.runDir()).state().parsedRecords;
  }

  /**
   * Runs the herd in this JVM on the kit's {@link LockContentionSimulator}: {@code threads} players
   * behind its start gate, each making {@code requests} locked increments in turn.
   *
   * @param store the store
   * @param runDir the run
   * @param threads how many threads
   * @param requests requests per thread
   * @param hold simulated work per request
   * @param rec where to record
   * @param beforeGo runs when every thread waits at the gate, before it opens
   * @throws IllegalStateException if a thread fails unexpectedly (not a recorded outcome)
   */
  static void work(
      NoDbStore store,
      Path runDir,
      int threads,
      int requests,
      Duration hold,
      Recorder rec,
      Runnable beforeGo) {
    Climate climate = store.getInstance(Climate.class, runDir);
    Players.run(
        threads,
        requests,
        beforeGo,
        (player, i) -> Critical.run(climate, hold, rec, s -> s.parsedRecords++));
  }
}
