package io.nodb.tools.scenario;

import io.nodb.controllers.Climate;
import io.nodb.controllers.Landuse;
import io.nodb.lock.AuditEntry;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.testing.workers.WorkerJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code orphaned-locks}: a child JVM takes {@code climate.nodb} (with the scenario's short lease)
 * and {@code landuse.nodb} (60 s lease), renewal off, then halts without releasing: locks left by a
 * dead process. While their leases live, the lock is refused. Path 1, climate: a waiter in the
 * store's {@code locked()} gets the lock when the orphan's lease runs out (a bounded wait, woken by
 * the re-check at the holder's TTL; no sleep). Path 2, landuse: an operator forces the orphan free
 * (audited) and the next {@code locked()} proceeds at once. Checks: the holder process is gone,
 * both locks were refused, both paths committed, the expiry wait was bounded by the lease, the
 * forced path did not wait for expiry, and the force is in the audit trail.
 */
final class OrphanedLocks implements Scenario {

  private static final Duration LONG_LEASE = Duration.ofSeconds(60);

  @Override
  public String describe(ScenarioConfig c) {
    return String.format(
        Locale.ROOT,
        "a child JVM holds climate.nodb (%d ms lease) and landuse.nodb (60 s) and dies; expiry"
            + " and force paths",
        c.lease().toMillis());
  }

  @Override
  public List<Invariant> run(ScenarioContext ctx) throws Exception {
    Recorder rec = ctx.recorder();
    Climate climate = ctx.store().getInstance(Climate.class, ctx.runDir());
    Landuse landuse = ctx.store().getInstance(Landuse.class, ctx.runDir());
    LockKey climateKey = climate.lockKey();
    LockKey landuseKey = landuse.lockKey();
    long climateV0 = climate.version();
    long landuseV0 = landuse.version();

    long pid = spawnOrphan(ctx);
    Optional<LockHandle> early = ctx.client().tryAcquire(climateKey);
    boolean climateRefused = early.isEmpty();
    early.ifPresent(LockHandle::close);
    rec.outcome(climateRefused ? "busy" : Recorder.OK);
    Optional<LockInfo> climateOwner = ctx.client().owner(climateKey);
    boolean gone = awaitGone(pid);
    ctx.step(
        "child JVM pid %d took climate.nodb (lease %d ms) and landuse.nodb (60 s lease), renewal"
            + " off, and halted without releasing; process alive: %s",
        pid, ctx.config().lease().toMillis(), gone ? "no" : "YES");
    long ttlLeft = climateOwner.map(o -> o.ttlLeft().toMillis()).orElse(0L);
    ctx.step(
        "path 1 (expiry): tryAcquire(climate.nodb) -> %s; orphan pid %s, TTL left %d ms",
        climateRefused ? "busy" : "acquired (the lease had already run out)",
        climateOwner.map(o -> Long.toString(o.pid())).orElse("-"),
        ttlLeft);
    long expiryWaitNanos = Critical.run(climate, Duration.ZERO, rec, s -> s.parsedRecords++);
    boolean expiryCommitted = expiryWaitNanos >= 0;
    long expiryWait = millis(expiryWaitNanos);
    ctx.step(
        "path 1: climate.locked() waited %d ms for the orphan's lease to run out, then committed:"
            + " %s",
        expiryWait, expiryCommitted ? "yes" : "no");

    Optional<LockHandle> early2 = ctx.client().tryAcquire(landuseKey);
    boolean landuseRefused = early2.isEmpty();
    early2.ifPresent(LockHandle::close);
    rec.outcome(landuseRefused ? "busy" : Recorder.OK);
    Optional<LockInfo> forced =
        ctx.client()
            .admin()
            .forceUnlock(landuseKey, "scenario orphaned-locks: holder pid " + pid + " is gone");
    long landuseTtl = forced.map(o -> o.ttlLeft().toMillis()).orElse(0L);
    ctx.step(
        "path 2 (force): tryAcquire(landuse.nodb) -> %s; operator forced it free (orphan pid %s,"
            + " TTL left %d ms)",
        landuseRefused ? "busy" : "acquired",
        forced.map(o -> Long.toString(o.pid())).orElse("-"),
        landuseTtl);
    long forceWaitNanos = Critical.run(landuse, Duration.ZERO, rec, s -> s.builds++);
    boolean forceCommitted = forceWaitNanos >= 0;
    long forceWait = millis(forceWaitNanos);
    ctx.step(
        "path 2: landuse.locked() waited %d ms, then committed: %s",
        forceWait, forceCommitted ? "yes" : "no");
    boolean audited = false;
    for (AuditEntry e : ctx.client().admin().audit(ctx.runId(), 10)) {
      audited |= e.operation().equals("force") && e.key().equals(landuseKey);
    }

    List<Invariant> inv = new ArrayList<>();
    inv.add(Invariant.yes("orphan holder process gone", gone));
    inv.add(Invariant.count("locks refused while the orphan's lease lived", 2, rec.count("busy")));
    inv.add(Invariant.yes("path 1: committed after expiry", expiryCommitted));
    inv.add(
        new Invariant(
            "path 1: wait bounded by the lease",
            "<= " + (ctx.config().lease().toMillis() + 2000) + " ms",
            expiryWait + " ms",
            expiryWait <= ctx.config().lease().toMillis() + 2000));
    inv.add(Invariant.yes("path 2: committed after force", forceCommitted));
    inv.add(
        new Invariant(
            "path 2: did not wait for expiry",
            "< " + Math.max(0, landuseTtl - 1000) + " ms",
            forceWait + " ms",
            forceWait < landuseTtl - 1000));
    inv.add(Invariant.yes("force recorded in the audit trail", audited));
    Climate c = ctx.store().ignoreLock(Climate.class, ctx.runDir());
    Landuse l = ctx.store().ignoreLock(Landuse.class, ctx.runDir());
    inv.add(
        Invariant.equal(
            "file versions (climate, landuse)",
            List.of(climateV0 + 1, landuseV0 + 1),
            List.of(c.version(), l.version())));
    return inv;
  }

  /** A wait in milliseconds, or -1 for an operation that did not commit. */
  private static long millis(long waitNanos) {
    return waitNanos < 0 ? -1 : waitNanos / 1_000_000;
  }

  private static long spawnOrphan(ScenarioContext ctx) throws IOException, InterruptedException {
    List<String> args =
        List.of(
            "orphan",
            ctx.runDir().toString(),
            ctx.config().backendArg(),
            "climate.nodb:" + ctx.config().lease().toMillis(),
            "landuse.nodb:" + LONG_LEASE.toMillis());
    Path logs = Files.createTempDirectory("nodb-scenario-workers-");
    try (WorkerJvm w = ScenarioWorker.start(logs, args, line -> {})) {
      String held;
      try {
        held = w.awaitLine("held ", Duration.ofSeconds(30));
      } catch (IllegalStateException e) {
        throw new IOException("the orphan-making JVM did not take its locks: " + e.getMessage(), e);
      }
      if (w.await(Duration.ofSeconds(30)) != 0) {
        throw new IOException("the orphan-making JVM failed:\n" + w.output());
      }
      return Long.parseLong(held.split(" ")[0]);
    } finally {
      Scenarios.deleteTree(logs);
    }
  }

  private static boolean awaitGone(long pid) throws InterruptedException {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty()) {
      return true;
    }
    try {
      h.get().onExit().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return !h.get().isAlive();
    }
    return !h.get().isAlive();
  }
}
