package io.nodb.tools.scenario;

import io.nodb.controllers.Climate;
import io.nodb.controllers.ClimateState;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LossReason;
import io.nodb.store.LockedScope;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code clear-during-operation}: holder H works inside {@code climate.lock()} (the store's lease,
 * renewed every third of it) while an operator runs {@code clear-locks} on the run. H's next
 * renewal is refused and its loss listener is told {@code CLEARED} while it still works; its commit
 * is then rejected. Checks: the clear evicted H, H learned CLEARED while working, the commit was
 * rejected, the file is byte for byte what it was, and the next holder commits normally.
 */
final class ClearDuringOperation implements Scenario {

  private static final long H_VALUE = 999_999;

  @Override
  public String describe(ScenarioConfig c) {
    return String.format(
        Locale.ROOT,
        "clear-locks while holder H works in climate.lock() (lease %d ms, renewed)",
        c.lease().toMillis());
  }

  @Override
  public List<Invariant> run(ScenarioContext ctx) throws Exception {
    Recorder rec = ctx.recorder();
    Climate climate = ctx.store().getInstance(Climate.class, ctx.runDir());
    byte[] before = Files.readAllBytes(climate.file());
    long v0 = climate.version();
    CountDownLatch working = new CountDownLatch(1);
    CountDownLatch told = new CountDownLatch(1);
    AtomicReference<LossReason> learned = new AtomicReference<>();
    AtomicReference<String> hDigest = new AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean toldBeforeCommit =
        new java.util.concurrent.atomic.AtomicBoolean();
    // Bounded: H works until told of the loss, or for 20 leases at most.
    long patienceMillis = Math.max(5_000, 20 * ctx.config().lease().toMillis());

    CompletableFuture<String> h =
        CompletableFuture.supplyAsync(
            () -> {
              try (LockedScope<ClimateState> scope = climate.lock()) {
                hDigest.set(scope.lock().tokenDigest());
                scope
                    .lock()
                    .addLossListener(
                        loss -> {
                          learned.compareAndSet(null, loss.reason());
                          told.countDown();
                        });
                scope.state().parsedRecords = H_VALUE;
                working.countDown();
                toldBeforeCommit.set(awaitQuietly(told, patienceMillis));
                try {
                  scope.commit();
                  rec.outcome(Recorder.OK);
                  return "LANDED";
                } catch (RuntimeException e) {
                  rec.failure(e);
                  return Recorder.classify(e);
                }
              }
            },
            ScenarioThreads.PER_TASK);
    if (!working.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("holder H did not start working");
    }
    ctx.step(
        "H opened climate.lock() (token %s) and works on parsedRecords=%d", hDigest.get(), H_VALUE);
    List<LockInfo> cleared =
        ctx.client().admin().clearLocks(ctx.runId(), "scenario clear-during-operation");
    boolean evictedH = cleared.stream().anyMatch(i -> i.tokenDigest().equals(hDigest.get()));
    ctx.step(
        "operator ran clear-locks on the run: cleared %s",
        cleared.stream().map(i -> i.key().name() + " (token " + i.tokenDigest() + ")").toList());
    boolean toldWhileWorking = told.await(patienceMillis, TimeUnit.MILLISECONDS);
    ctx.step(
        "H's loss listener: %s", toldWhileWorking ? "told " + learned.get() : "NOT told in time");
    String commit = h.get(60, TimeUnit.SECONDS);
    ctx.step("H's commit: %s", commit.equals("LANDED") ? "LANDED (must not happen)" : commit);
    boolean unchanged = Arrays.equals(before, Files.readAllBytes(climate.file()));
    ctx.step("climate.nodb byte for byte as before: %s", unchanged ? "yes" : "NO");
    boolean next = Critical.run(climate, Duration.ZERO, rec, s -> s.parsedRecords++) >= 0;
    long v1 = ctx.store().ignoreLock(Climate.class, ctx.runDir()).version();
    ctx.step("next holder's locked(): %s, version %d -> %d", next ? "committed" : "FAILED", v0, v1);

    List<Invariant> inv = new ArrayList<>();
    inv.add(Invariant.yes("clear evicted H", evictedH));
    inv.add(Invariant.yes("H was told before it tried to commit", toldBeforeCommit.get()));
    inv.add(Invariant.equal("H learned while working", LossReason.CLEARED, learned.get()));
    inv.add(Invariant.yes("H's commit rejected", !commit.equals("LANDED")));
    inv.add(Invariant.count("stale writes landed", 0, unchanged ? 0 : 1));
    inv.add(Invariant.yes("next holder committed", next));
    inv.add(Invariant.equal("file version", v0 + 1, v1));
    return inv;
  }

  private static boolean awaitQuietly(CountDownLatch latch, long millis) {
    try {
      return latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
