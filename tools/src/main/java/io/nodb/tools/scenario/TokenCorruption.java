package io.nodb.tools.scenario;

import io.nodb.controllers.Climate;
import io.nodb.controllers.ClimateState;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockInfo;
import io.nodb.lock.LockKey;
import io.nodb.lock.LockOptions;
import io.nodb.lock.ReleaseOutcome;
import io.nodb.store.LockedScope;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code token-corruption}: holder A, inside {@code climate.lock()}, loses its token: the token
 * stored for the lock stops being A's. The public API cannot alter a handle's token, so this is
 * simulated the way it happens in practice: an operator force-unlocks the lock and holder B takes
 * it (and then gets stuck, never releasing). A's commit is refused, and A's release is {@code
 * NOT_OWNER}: it does not delete B's lock (the Python original's GET-compare-DEL could). B's stuck
 * lock blocks everyone until an operator forces it; then the next holder commits. Checks: the
 * release outcome, B's lock intact after A's release, A's commit rejected and never on disk, the
 * stuck lock refused a newcomer, recovery by force, and the file holding the newcomer's data.
 */
final class TokenCorruption implements Scenario {

  private static final long A_VALUE = 111_111;
  private static final long C_VALUE = 333_333;

  @Override
  public String describe(ScenarioConfig c) {
    return "holder A's token stops matching (simulated: operator force + holder B takes the lock"
        + " and gets stuck); A's release is NOT_OWNER; a forced unlock recovers";
  }

  @Override
  public List<Invariant> run(ScenarioContext ctx) throws Exception {
    Recorder rec = ctx.recorder();
    Climate climate = ctx.store().getInstance(Climate.class, ctx.runDir());
    LockKey key = climate.lockKey();
    long v0 = climate.version();
    byte[] before = Files.readAllBytes(climate.file());

    AtomicReference<LockHandle> b = new AtomicReference<>();
    try {
      return withB(ctx, rec, climate, key, v0, before, b);
    } finally {
      // idempotent: frees B's stuck 2-minute lock if a step threw (an Error included) first
      if (b.get() != null) {
        b.get().close();
      }
    }
  }

  private static List<Invariant> withB(
      ScenarioContext ctx,
      Recorder rec,
      Climate climate,
      LockKey key,
      long v0,
      byte[] before,
      AtomicReference<LockHandle> bHolder)
      throws Exception {
    ReleaseOutcome aRelease;
    boolean aRejected = false;
    String bDigest;
    boolean bIntactAfterARelease;
    LockHandle b;
    try (LockedScope<ClimateState> a = climate.lock()) {
      a.state().parsedRecords = A_VALUE;
      Critical.sleep(ctx.config().hold());
      ctx.step(
          "A opened climate.lock(): fence %d, token %s; working copy parsedRecords=%d",
          a.lock().fence(), a.lock().tokenDigest(), A_VALUE);
      Optional<LockInfo> forced =
          ctx.client().admin().forceUnlock(key, "scenario token-corruption: A's token is replaced");
      b =
          ctx.client()
              .acquire(
                  key,
                  LockOptions.lease(Duration.ofMinutes(2)).withoutRenewal(),
                  Duration.ofSeconds(10));
      bHolder.set(b);
      bDigest = b.tokenDigest();
      ctx.step(
          "SIMULATED token loss: operator forced %s free and B took it (fence %d, token %s, 2 min"
              + " lease) and is stuck; the stored token is no longer A's",
          forced.map(LockInfo::tokenDigest).orElse("nothing"), b.fence(), bDigest);
      try {
        a.commit();
        ctx.step("A's commit LANDED (must not happen)");
      } catch (RuntimeException e) {
        aRejected = true;
        rec.failure(e);
        ctx.step("A's commit rejected: %s", Recorder.classify(e));
      }
      aRelease = a.lock().release();
      rec.release(aRelease);
      Optional<LockInfo> owner = ctx.client().owner(key);
      bIntactAfterARelease = owner.isPresent() && owner.get().tokenDigest().equals(bDigest);
      ctx.step(
          "A released: %s; lock owner now: %s",
          aRelease, owner.map(o -> "token " + o.tokenDigest() + " (B)").orElse("none"));
    }

    boolean unchangedByA = Arrays.equals(before, Files.readAllBytes(climate.file()));
    Optional<LockHandle> c = ctx.client().tryAcquire(key);
    boolean blocked = c.isEmpty();
    c.ifPresent(LockHandle::close);
    if (blocked) {
      rec.outcome("busy");
    }
    ctx.step("newcomer C tries the lock while B is stuck: %s", blocked ? "busy" : "got it");
    Optional<LockInfo> recovered =
        ctx.client().admin().forceUnlock(key, "scenario token-corruption: recover the stuck lock");
    ctx.step(
        "operator forced B's stuck lock free (previous owner token %s)",
        recovered.map(LockInfo::tokenDigest).orElse("none"));
    boolean cCommitted =
        Critical.run(climate, Duration.ZERO, rec, s -> s.parsedRecords = C_VALUE) >= 0;
    ReleaseOutcome bRelease = b.release();
    rec.release(bRelease);
    ctx.step(
        "C committed via locked(): %s; B finally released: %s (it learns it was FORCED)",
        cCommitted ? "yes" : "no", bRelease);

    Climate fresh = ctx.store().ignoreLock(Climate.class, ctx.runDir());
    boolean aNeverOnDisk = fresh.state().parsedRecords != A_VALUE;
    List<Invariant> inv = new ArrayList<>();
    inv.add(Invariant.equal("A's release", ReleaseOutcome.NOT_OWNER, aRelease));
    inv.add(Invariant.yes("B's lock intact after A's release", bIntactAfterARelease));
    inv.add(Invariant.yes("A's commit rejected", aRejected && aNeverOnDisk));
    inv.add(Invariant.yes("stuck lock refused a newcomer", blocked));
    inv.add(Invariant.yes("force unlock recovered (C committed)", cCommitted));
    inv.add(Invariant.equal("file holds C's data", C_VALUE, fresh.state().parsedRecords));
    inv.add(Invariant.equal("file version", v0 + 1, fresh.version()));
    inv.add(Invariant.yes("file unchanged by A", unchangedByA));
    return inv;
  }
}
