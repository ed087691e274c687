package io.nodb.tools.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.controllers.Climate;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LossReason;
import io.nodb.store.NoDbCorruptFileException;
import io.nodb.store.NoDbFencedWriteException;
import io.nodb.store.NoDbFileInfo;
import io.nodb.store.NoDbFileWriter;
import io.nodb.store.NoDbFiles;
import io.nodb.store.NoDbStaleWriteException;
import io.nodb.store.NoDbStoreBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ttl-expiration}: holder A takes {@code climate.nodb} with a short lease and renewal off
 * (as a holder whose process stalls would: a GC pause, a frozen VM) and keeps working past it.
 * Holder B, waiting in the store's {@code locked()}, gets the lock when A's lease runs out and
 * commits. Then A tries to dump what it prepared, three ways, each stopped by a different guard:
 * the store's order (handle check first: {@code LockLostException EXPIRED}); the store's fenced
 * writer ({@code NoDbFileWriter}, public for such a holder) without the handle check, from A's base
 * version ({@code NoDbStaleWriteException}); and from the current version, as if A had re-read
 * ({@code NoDbFencedWriteException}: B's fence is higher). Checks: all three rejected, nothing of
 * A's landed, B committed, and the file is valid and holds B's data, version and fence.
 */
final class TtlExpiration implements Scenario {

  private static final long A_VALUE = 111_111;
  private static final long B_VALUE = 222_222;
  private static final String HOLDER_A = "scenario-holder-A";

  @Override
  public String describe(ScenarioConfig c) {
    return String.format(
        Locale.ROOT,
        "holder A outlives a %d ms lease (renewal off) on climate.nodb; B takes over",
        c.lease().toMillis());
  }

  @Override
  public List<Invariant> run(ScenarioContext ctx) throws Exception {
    Recorder rec = ctx.recorder();
    Climate climate = ctx.store().getInstance(Climate.class, ctx.runDir());
    AtomicReference<LossReason> aLearned = new AtomicReference<>();

    LockHandle a =
        ctx.client()
            .acquire(
                climate.lockKey(),
                LockOptions.lease(ctx.config().lease())
                    .withoutRenewal()
                    .withLossListener(loss -> aLearned.set(loss.reason())),
                Duration.ofSeconds(10));
    try {
      return withA(ctx, rec, climate, aLearned, a);
    } finally {
      a.close(); // idempotent: frees the lock if a step threw (an Error included) before the
      // release
    }
  }

  private static List<Invariant> withA(
      ScenarioContext ctx,
      Recorder rec,
      Climate climate,
      AtomicReference<LossReason> aLearned,
      LockHandle a)
      throws Exception {
    NoDbFileInfo base = read(ctx);
    NoDbFileInfo.Header baseHeader = base.header().orElseThrow();
    ctx.step(
        "A took climate.nodb: fence %d, lease %d ms, renewal off; read version %d and prepares"
            + " parsedRecords=%d",
        a.fence(), ctx.config().lease().toMillis(), baseHeader.version(), A_VALUE);

    long asked = System.nanoTime();
    CompletableFuture<Long> b =
        CompletableFuture.supplyAsync(
            () -> {
              boolean ok =
                  Critical.run(climate, Duration.ZERO, rec, s -> s.parsedRecords = B_VALUE) >= 0;
              return ok ? climate.fence() : -1L;
            },
            ScenarioThreads.PER_TASK);
    long bFence = b.get(60, TimeUnit.SECONDS);
    ctx.step(
        "B waited %.0f ms in locked() (A's lease ran out; no sleep, no retry), took fence %d and"
            + " committed parsedRecords=%d",
        (System.nanoTime() - asked) / 1e6, bFence, B_VALUE);

    int rejected = 0;
    int landed = 0;
    try {
      a.ensureValid();
      NoDbFileWriter.writeNextVersion(base, aState(base), a.fence(), HOLDER_A, a::renewNow);
      landed++;
      ctx.step("A's dump in the store's order LANDED (must not happen)");
    } catch (LockLostException e) {
      rejected++;
      rec.failure(e);
      ctx.step("A's dump (store order: handle check first) rejected: lost %s", e.reason());
    }
    try {
      NoDbFileWriter.writeNextVersion(base, aState(base), a.fence(), HOLDER_A, () -> {});
      landed++;
      ctx.step("A's dump without the handle check LANDED (must not happen)");
    } catch (NoDbStaleWriteException e) {
      rejected++;
      rec.failure(e);
      ctx.step(
          "A's dump without the handle check, from version %d: rejected as stale (the file"
              + " moved on)",
          baseHeader.version());
    }
    NoDbFileInfo now = read(ctx);
    try {
      NoDbFileWriter.writeNextVersion(now, aState(now), a.fence(), HOLDER_A, () -> {});
      landed++;
      ctx.step("A's re-read dump LANDED (must not happen)");
    } catch (NoDbFencedWriteException e) {
      rejected++;
      rec.failure(e);
      ctx.step(
          "A's dump as if re-read at version %d: rejected by the fence (A's %d < file's %d)",
          now.header().orElseThrow().version(), a.fence(), now.header().orElseThrow().fence());
    }
    rec.release(a.release());
    ctx.step("A released its handle: %s", a.release());

    NoDbFileInfo after = read(ctx);
    long value = after.state().orElseThrow().path("parsedRecords").asLong();
    NoDbFileInfo.Header afterHeader = after.header().orElseThrow();
    ctx.step(
        "file: version %d, fence %d, parsedRecords=%d",
        afterHeader.version(), afterHeader.fence(), value);
    List<Invariant> inv = new ArrayList<>();
    inv.add(Invariant.count("stale writes rejected", 3, rejected));
    inv.add(Invariant.count("stale writes landed", 0, landed));
    inv.add(Invariant.equal("A learned", LossReason.EXPIRED, aLearned.get()));
    inv.add(Invariant.yes("next holder committed", bFence > a.fence()));
    inv.add(Invariant.equal("file version", baseHeader.version() + 1, afterHeader.version()));
    inv.add(Invariant.equal("file fence", bFence, afterHeader.fence()));
    inv.add(Invariant.equal("file holds B's data", B_VALUE, value));
    return inv;
  }

  /**
   * Reads climate.nodb as the store would; it must be valid (B's commit and the setup wrote it).
   */
  private static NoDbFileInfo read(ScenarioContext ctx) {
    NoDbFileInfo f =
        NoDbFiles.inspect(
            ctx.runDir(),
            Climate.TYPE.fileName(),
            NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE,
            Climate.TYPE);
    if (f.diagnosis() != NoDbFileInfo.Diagnosis.VALID) {
      throw new NoDbCorruptFileException(
          f.path(), f.reason().orElse(f.diagnosis().toString()), null);
    }
    return f;
  }

  /** The state A prepared: what it read, with its own value. */
  private static ObjectNode aState(NoDbFileInfo from) {
    ObjectNode state = from.state().orElseThrow();
    state.put("parsedRecords", A_VALUE);
    return state;
  }
}
