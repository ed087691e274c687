package io.nodb.tools.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodb.controllers.Climate;
import io.nodb.lock.LockHandle;
import io.nodb.lock.LockLostException;
import io.nodb.lock.LockOptions;
import io.nodb.lock.LossReason;
import io.nodb.store.NoDbFencedWriteException;
import io.nodb.store.NoDbStaleWriteException;
import io.nodb.store.NoDbStoreBuilder;
import io.nodb.store.internal.Envelope;
import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.EnvelopeHeader;
import io.nodb.store.internal.FencedFileWriter;
import io.nodb.store.internal.FileSignature;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * the store's order (handle check first: {@code LockLostException EXPIRED}); the fenced writer
 * without the handle check, from A's base version ({@code NoDbStaleWriteException}); and from the
 * current version, as if A had re-read ({@code NoDbFencedWriteException}: B's fence is higher).
 * Checks: all three rejected, nothing of A's landed, B committed, and the file is valid and holds
 * B's data, version and fence.
 */
final class TtlExpiration implements Scenario {

  private static final long A_VALUE = 111_111;
  private static final long B_VALUE = 222_222;

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
    Path file = climate.file();
    EnvelopeCodec codec = new EnvelopeCodec(new ObjectMapper());
    FencedFileWriter writer = new FencedFileWriter(codec);
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
      return withA(ctx, rec, climate, file, codec, writer, aLearned, a);
    } finally {
      a.close(); // idempotent: frees the lock if a step threw (an Error included) before the
      // release
    }
  }

  private static List<Invariant> withA(
      ScenarioContext ctx,
      Recorder rec,
      Climate climate,
      Path file,
      EnvelopeCodec codec,
      FencedFileWriter writer,
      AtomicReference<LossReason> aLearned,
      LockHandle a)
      throws Exception {
    Envelope base = codec.parse(file, Files.readAllBytes(file), Climate.TYPE.typeName());
    FileSignature baseSignature = FileSignature.of(file).orElseThrow();
    ctx.step(
        "A took climate.nodb: fence %d, lease %d ms, renewal off; read version %d and prepares"
            + " parsedRecords=%d",
        a.fence(), ctx.config().lease().toMillis(), base.header().version(), A_VALUE);

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
      writer.write(
          ctx.runDir(),
          file,
          dump(codec, base, 1, a.fence(), A_VALUE),
          base.header(),
          baseSignature,
          a.fence(),
          NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE,
          a::verify);
      landed++;
      ctx.step("A's dump in the store's order LANDED (must not happen)");
    } catch (LockLostException e) {
      rejected++;
      rec.failure(e);
      ctx.step("A's dump (store order: handle check first) rejected: lost %s", e.reason());
    }
    try {
      writer.write(
          ctx.runDir(),
          file,
          dump(codec, base, 1, a.fence(), A_VALUE),
          base.header(),
          baseSignature,
          a.fence(),
          NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE,
          () -> {});
      landed++;
      ctx.step("A's dump without the handle check LANDED (must not happen)");
    } catch (NoDbStaleWriteException e) {
      rejected++;
      rec.failure(e);
      ctx.step(
          "A's dump without the handle check, from version %d: rejected as stale (the file"
              + " moved on)",
          base.header().version());
    }
    Envelope now = codec.parse(file, Files.readAllBytes(file), Climate.TYPE.typeName());
    try {
      writer.write(
          ctx.runDir(),
          file,
          dump(codec, now, 1, a.fence(), A_VALUE),
          now.header(),
          FileSignature.of(file).orElseThrow(),
          a.fence(),
          NoDbStoreBuilder.DEFAULT_MAX_FILE_SIZE,
          () -> {});
      landed++;
      ctx.step("A's re-read dump LANDED (must not happen)");
    } catch (NoDbFencedWriteException e) {
      rejected++;
      rec.failure(e);
      ctx.step(
          "A's dump as if re-read at version %d: rejected by the fence (A's %d < file's %d)",
          now.header().version(), a.fence(), now.header().fence());
    }
    rec.release(a.release());
    ctx.step("A released its handle: %s", a.release());

    Envelope after = codec.parse(file, Files.readAllBytes(file), Climate.TYPE.typeName());
    long value = after.state().path("parsedRecords").asLong();
    ctx.step(
        "file: version %d, fence %d, parsedRecords=%d",
        after.header().version(), after.header().fence(), value);
    List<Invariant> inv = new ArrayList<>();
    inv.add(Invariant.count("stale writes rejected", 3, rejected));
    inv.add(Invariant.count("stale writes landed", 0, landed));
    inv.add(Invariant.equal("A learned", LossReason.EXPIRED, aLearned.get()));
    inv.add(Invariant.yes("next holder committed", bFence > a.fence()));
    inv.add(Invariant.equal("file version", base.header().version() + 1, after.header().version()));
    inv.add(Invariant.equal("file fence", bFence, after.header().fence()));
    inv.add(Invariant.equal("file holds B's data", B_VALUE, value));
    return inv;
  }

  private static byte[] dump(
      EnvelopeCodec codec, Envelope from, long plus, long fence, long value) {
    EnvelopeHeader h = from.header();
    var state = from.state().deepCopy();
    state.put("parsedRecords", value);
    return codec.write(
        new Envelope(
            new EnvelopeHeader(
                h.format(),
                h.type(),
                h.version() + plus,
                fence,
                java.time.Instant.now().toString(),
                "scenario-holder-A",
                h.lineage(),
                h.extra()),
            state));
  }
}
