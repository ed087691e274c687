package io.nodb.store.internal;

import io.nodb.lock.internal.FileLocks;
import io.nodb.store.NoDbFencedWriteException;
import io.nodb.store.NoDbStaleWriteException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a {@code .nodb} file crash-safely and fenced. Under a sidecar file lock (an OS lock shared
 * by every process of the host, plus a JVM-wide stripe because OS locks belong to the whole JVM):
 * the file on disk must still be the version the mutation started from ({@link
 * NoDbStaleWriteException}) and must not carry a higher fence ({@link NoDbFencedWriteException}); a
 * corrupt file is never replaced; the new content goes to the temp file {@code .<name>.tmp} in the
 * same directory and is forced to disk; the caller's lock must still be held (checked last, by the
 * caller's verifier); then the temp file is renamed atomically over the old one, keeping its
 * permissions, and the directory is forced.
 *
 * <p>The temp name is fixed per file: writers are serialized by the sidecar lock, so a name per
 * write buys nothing, and a crashed writer's leftover is simply overwritten by the next dump (no
 * directory listing per dump). Only the first 64 KiB of the old file are read to check its header.
 *
 * <p>Readers therefore see either the old or the new file, never a torn one. Thread-safe.
 */
public final class FencedFileWriter {

  /** Checks, just before the rename, that the writer still holds its lock; throws if not. */
  @FunctionalInterface
  public interface LockVerifier {
    /** Throws if the lock is no longer held. */
    void verify();
  }

  private static final int HEADER_PREFIX = 64 * 1024;
  private static final java.time.Duration GUARD_WAIT = java.time.Duration.ofSeconds(30);
  private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new ReentrantLock();
    }
  }

  private final EnvelopeCodec codec;

  /**
   * Creates a writer.
   *
   * @param codec reads the header of the file on disk
   */
  public FencedFileWriter(EnvelopeCodec codec) {
    this.codec = codec;
  }

  /** Returns the temp file a write of {@code target} goes through. */
  public static Path tempFileOf(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp");
  }

  /**
   * Writes {@code bytes} to {@code target} if the checks pass.
   *
   * @param target the controller file
   * @param bytes the full new content
   * @param baseVersion the version the mutation started from (0 when creating)
   * @param baseSignature the signature of the file the mutation started from, or null when the file
   *     must not exist yet (creation)
   * @param fence the writer's fence
   * @param verifier confirms the lock is still held
   * @return the signature of the file now in place
   * @throws NoDbStaleWriteException if the file is not the one the mutation started from (another
   *     version, changed since it was read, deleted, or created meanwhile)
   * @throws NoDbFencedWriteException if the file carries a higher fence
   * @throws io.nodb.store.NoDbCorruptFileException if the file on disk is corrupt
   * @throws UncheckedIOException on an I/O failure (nothing is replaced)
   */
  public FileSignature write(
      Path target,
      byte[] bytes,
      long baseVersion,
      FileSignature baseSignature,
      long fence,
      LockVerifier verifier) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = tempFileOf(abs);
    ReentrantLock stripe = STRIPES[Math.floorMod(canonical(abs).hashCode(), STRIPES.length)];
    boolean interrupted = Thread.interrupted();
    stripe.lock();
    try (FileChannel guard =
        FileChannel.open(
            dir.resolve("." + abs.getFileName() + ".guard"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE)) {
      FileLock lock = FileLocks.lockWithin(guard, GUARD_WAIT, abs);
      try {
        checkOnDisk(abs, baseVersion, baseSignature, fence);
        writeAndForce(tmp, bytes);
        verifier.verify();
        keepMode(abs, tmp);
        FileSignature written =
            FileSignature.of(tmp).orElseThrow(() -> new IOException("temp file vanished: " + tmp));
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(dir);
        return written;
      } finally {
        lock.release();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      stripe.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Path canonical(Path abs) {
    try {
      return abs.getParent().toRealPath().resolve(abs.getFileName());
    } catch (IOException e) {
      return abs;
    }
  }

  private void checkOnDisk(Path target, long baseVersion, FileSignature baseSignature, long fence)
      throws IOException {
    if (baseSignature == null && Files.exists(target)) {
      throw new NoDbStaleWriteException(
          "stale write to "
              + target
              + ": it was created by someone else meanwhile (not overwritten)");
    }
    if (!Files.exists(target)) {
      if (baseVersion != 0) {
        throw new NoDbStaleWriteException(
            "stale write to "
                + target
                + ": it was at version "
                + baseVersion
                + " when the mutation started and has since been deleted");
      }
      return;
    }
    EnvelopeHeader onDisk;
    try (InputStream in = Files.newInputStream(target)) {
      byte[] prefix = in.readNBytes(HEADER_PREFIX);
      onDisk =
          prefix.length < HEADER_PREFIX
              ? codec.parseHeader(target, prefix)
              : codec.parseHeaderOrNull(target, prefix);
    }
    if (onDisk == null) {
      onDisk = codec.parseHeader(target, Files.readAllBytes(target));
    }
    if (onDisk.version() != baseVersion) {
      throw new NoDbStaleWriteException(
          "stale write to "
              + target
              + ": the mutation started from version "
              + baseVersion
              + " but the file is at version "
              + onDisk.version()
              + " (written by "
              + onDisk.writer()
              + " at "
              + onDisk.writtenAt()
              + ")");
    }
    if (onDisk.fence() > fence) {
      throw new NoDbFencedWriteException(
          "fenced write to "
              + target
              + ": our lock fence "
              + fence
              + " is older than the file's fence "
              + onDisk.fence()
              + " (a newer holder wrote it)");
    }
    if (baseSignature != null && !baseSignature.equals(FileSignature.of(target).orElse(null))) {
      throw new NoDbStaleWriteException(
          "stale write to "
              + target
              + ": the file was replaced or modified since version "
              + baseVersion
              + " was read (same version number, different file)");
    }
  }

  private static void writeAndForce(Path tmp, byte[] bytes) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  private static void keepMode(Path target, Path tmp) throws IOException {
    if (Files.exists(target)
        && Files.getFileAttributeView(target, PosixFileAttributeView.class) != null) {
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
    }
  }

  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (FileSystemException notSupported) {
      // some file systems cannot open a directory for sync; the rename is still atomic
    }
  }
}
