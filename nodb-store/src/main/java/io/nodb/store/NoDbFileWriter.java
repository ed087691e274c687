package io.nodb.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodb.lock.Fences;
import io.nodb.store.internal.Envelope;
import io.nodb.store.internal.EnvelopeCodec;
import io.nodb.store.internal.EnvelopeHeader;
import io.nodb.store.internal.FencedFileWriter;
import java.time.Instant;
import java.util.Objects;

/**
 * The store's fenced, crash-safe write of a controller file, for a caller that holds the file's
 * lock itself: tools and fault scenarios (the CLI's {@code ttl-expiration} shows a holder whose
 * lease ran out being stopped by each guard in turn). Applications do not need it: {@link
 * NoDbBase#locked} takes the lock, refreshes, checks the handle before the write, lifts the fence
 * when a Redis restart lost it, and writes through the same writer.
 *
 * <p>The guards are the store's own, under the file's sidecar guard: the file on disk must still be
 * the one {@code base} read (same version, lineage and file signature, else {@link
 * NoDbStaleWriteException}), must not carry a higher fence ({@link NoDbFencedWriteException}), must
 * not be corrupt, and the caller's lock check runs last, just before the atomic rename. Nothing is
 * written through a link. Stateless and thread-safe.
 */
public final class NoDbFileWriter {

  private static final EnvelopeCodec CODEC = new EnvelopeCodec(new ObjectMapper());
  private static final FencedFileWriter WRITER = new FencedFileWriter(CODEC);

  private NoDbFileWriter() {}

  /**
   * Writes the next version of a file: {@code base}'s version + 1, with {@code state}, the given
   * fence and writer, and everything else of {@code base}'s header and envelope kept (its lineage,
   * unknown header fields and kept legacy fields).
   *
   * @param base the file as the caller read it ({@link NoDbFiles#inspect}); must be {@link
   *     NoDbFileInfo.Diagnosis#VALID}
   * @param state the new state
   * @param fence the fence of the caller's lock (a {@link io.nodb.lock.LockHandle#fence()})
   * @param writer who writes, for the header ({@code host:pid} or a name)
   * @param lockCheck throws if the caller's lock is no longer held (a {@link
   *     io.nodb.lock.LockHandle#renewNow()}); run after the new content is on disk, before the
   *     rename
   * @return the file as read back right after the write
   * @throws IllegalArgumentException if {@code base} is not a valid format-1 file or is at the
   *     largest version ({@link io.nodb.lock.Fences#MAX}), or {@code fence} is out of range
   * @throws NoDbStaleWriteException if the file is no longer the one {@code base} read
   * @throws NoDbFencedWriteException if the file carries a higher fence than {@code fence}
   * @throws NoDbCorruptFileException if the file on disk is corrupt (it is not replaced)
   * @throws NoDbUnsafePathException if the file, its temp or guard file, or a directory on the way
   *     is a symbolic link
   * @throws java.io.UncheckedIOException on an I/O failure (nothing is replaced)
   */
  public static NoDbFileInfo writeNextVersion(
      NoDbFileInfo base, ObjectNode state, long fence, String writer, Runnable lockCheck) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(writer, "writer");
    Objects.requireNonNull(lockCheck, "lockCheck");
    if (base.diagnosis() != NoDbFileInfo.Diagnosis.VALID || base.signature() == null) {
      throw new IllegalArgumentException(
          "the base must be a valid format-1 file, was " + base.diagnosis() + ": " + base.path());
    }
    if (fence < 0 || fence > Fences.MAX) {
      throw new IllegalArgumentException("fence must be from 0 to " + Fences.MAX + ": " + fence);
    }
    Envelope from = base.envelope();
    EnvelopeHeader h = from.header();
    if (h.version() >= Fences.MAX) {
      // the next version would be a file no reader accepts
      throw new IllegalArgumentException(
          base.path() + " is at version " + h.version() + ", the largest a file can hold");
    }
    EnvelopeHeader next =
        new EnvelopeHeader(
            EnvelopeCodec.CURRENT_FORMAT,
            h.type(),
            h.version() + 1,
            fence,
            Instant.now().toString(),
            writer,
            h.lineage().isEmpty() ? EnvelopeHeader.newLineage() : h.lineage(),
            h.extra());
    byte[] bytes = CODEC.write(new Envelope(next, state.deepCopy(), from.kept(), null));
    WRITER.write(
        base.runDir(),
        base.path(),
        bytes,
        h,
        base.signature(),
        fence,
        base.maxSize(),
        lockCheck::run);
    return NoDbFiles.inspect(
        base.runDir(),
        base.runDir().relativize(base.path()).toString(),
        base.maxSize(),
        base.controller().orElse(null));
  }
}
