package io.nodb.store.internal;

import io.nodb.lock.internal.FileLocks;
import io.nodb.store.NoDbFencedWriteException;
import io.nodb.store.NoDbStaleWriteException;
import io.nodb.store.NoDbUnsafePathException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@code .nodb} file crash-safely and fenced. Under a sidecar file lock (an OS lock shared
 * by every process of the host, plus a JVM-wide stripe because OS locks belong to the whole JVM):
 * the file on disk must still be the version the mutation started from ({@link
 * NoDbStaleWriteException}) and must not carry a higher fence ({@link NoDbFencedWriteException}); a
 * corrupt file is never replaced; the new content goes to the temp file {@code .<name>.tmp} in the
 * same directory (created exclusively, owner-only, never through a link) and is forced to disk; the
 * caller's lock must still be held (checked last, by the caller's verifier); then the temp file is
 * renamed atomically over the old one, keeping its permissions, and the directory is forced. A
 * failed write removes its temp file.
 *
 * <p>"The version the mutation started from" is its version number <em>and</em> its lineage (see
 * {@link EnvelopeHeader#lineage()}) <em>and</em> its file signature: a file that was repaired,
 * restored from a backup or deleted and created again is another file, whatever its version says.
 * Nothing is written through a symbolic link: the file, its temp and guard files and every
 * directory between the run directory and the file must be real (see {@link RunFiles}).
 *
 * <p>The temp name is fixed per file: writers are serialized by the sidecar lock, so a name per
 * write buys nothing, and a crashed writer's leftover is simply overwritten by the next dump (no
 * directory listing per dump). When the file on disk is the one the mutation read (same signature),
 * only its first 64 KiB are read to confirm its header; otherwise it is read whole, with the
 * store's one strict parser, to say what happened.
 *
 * <p>Readers therefore see either the old or the new file, never a torn one. Thread-safe.
 */
public final class FencedFileWriter {

  /**
   * Checks, just before the rename, that the writer still holds its lock, and renews it (the store
   * passes {@link io.nodb.lock.LockHandle#renewNow()}); throws if not.
   */
  @FunctionalInterface
  public interface LockVerifier {
    /** Throws if the lock is no longer held. */
    void verify();
  }

  private static final Logger LOG = LoggerFactory.getLogger("io.nodb.store");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
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
   * @param runDir the run directory the file belongs to (nothing outside it is written)
   * @param target the controller file
   * @param bytes the full new content
   * @param base the header of the version the mutation started from, or null when the file must not
   *     exist yet (creation)
   * @param baseSignature the signature of the file the mutation read (null when creating)
   * @param fence the writer's fence
   * @param maxBytes the store's file size limit, for reading the file on disk
   * @param verifier confirms the lock is still held
   * @return the signature of the file now in place
   * @throws NoDbStaleWriteException if the file is not the one the mutation started from (another
   *     version or lineage, changed since it was read, deleted, or created meanwhile)
   * @throws NoDbFencedWriteException if the file carries a higher fence
   * @throws io.nodb.store.NoDbCorruptFileException if the file on disk is corrupt
   * @throws io.nodb.store.NoDbUnsafePathException if the file, its temp or guard file, or a
   *     directory on the way is a symbolic link
   * @throws UncheckedIOException on an I/O failure (nothing is replaced, no temp file is left)
   */
  public FileSignature write(
      Path runDir,
      Path target,
      byte[] bytes,
      EnvelopeHeader base,
      FileSignature baseSignature,
      long fence,
      long maxBytes,
      LockVerifier verifier) {
    Path abs = target.toAbsolutePath();
    Path run = runDir.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = tempFileOf(abs);
    Path guardFile = dir.resolve("." + abs.getFileName() + ".guard");
    ReentrantLock stripe = STRIPES[Math.floorMod(canonical(abs).hashCode(), STRIPES.length)];
    boolean interrupted = Thread.interrupted();
    stripe.lock();
    try {
      RunFiles.requireWritable(run, abs);
      RunFiles.requireNotLink(guardFile);
      try (FileChannel guard = openGuard(guardFile)) {
        FileLock lock = FileLocks.lockWithin(guard, GUARD_WAIT, abs);
        try {
          checkOnDisk(run, abs, base, baseSignature, fence, maxBytes);
          boolean moved = false;
          try {
            writeAndForce(tmp, bytes);
            verifier.verify();
            setMode(abs, dir, tmp);
            FileSignature written =
                FileSignature.of(tmp)
                    .orElseThrow(() -> new IOException("temp file vanished: " + tmp));
            RunFiles.requireNotLink(abs);
            Files.move(
                tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(dir);
            return written;
          } finally {
            if (!moved) {
              removeTemp(tmp);
            }
          }
        } finally {
          lock.release();
        }
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

  /** Opens (creating) the guard file without following a link; refuses anything not regular. */
  private static FileChannel openGuard(Path guardFile) throws IOException {
    if (Files.exists(guardFile, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(guardFile, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoDbUnsafePathException(guardFile, "the guard file is not a regular file");
    }
    try {
      // READ as well as WRITE: opening a FIFO read-write never blocks
      return FileChannel.open(
          guardFile,
          StandardOpenOption.CREATE,
          StandardOpenOption.READ,
          StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
    } catch (FileSystemException e) {
      if (String.valueOf(e.getReason()).contains("symbolic link")) {
        throw new NoDbUnsafePathException(guardFile, "it is a symbolic link");
      }
      throw e;
    }
  }

  private static Path canonical(Path abs) {
    try {
      return abs.getParent().toRealPath().resolve(abs.getFileName());
    } catch (IOException e) {
      return abs;
    }
  }

  private void checkOnDisk(
      Path runDir,
      Path target,
      EnvelopeHeader base,
      FileSignature baseSignature,
      long fence,
      long maxBytes)
      throws IOException {
    Optional<FileSignature> now = RunFiles.signature(runDir, target);
    if (base == null) {
      if (now.isPresent()) {
        throw new NoDbStaleWriteException(
            "stale write to "
                + target
                + ": it was created by someone else meanwhile (not overwritten)");
      }
      return;
    }
    if (now.isEmpty()) {
      throw new NoDbStaleWriteException(
          "stale write to "
              + target
              + ": it was at version "
              + base.version()
              + " when the mutation started and has since been deleted");
    }
    EnvelopeHeader onDisk;
    if (now.get().equals(baseSignature)) {
      // the very file the mutation read (and the store parsed strictly): its header suffices
      byte[] prefix = RunFiles.readPrefix(runDir, target, HEADER_PREFIX);
      onDisk = prefix.length < HEADER_PREFIX ? null : codec.prefixHeaderOrNull(target, prefix);
      if (onDisk == null) {
        onDisk =
            codec
                .read(
                    target,
                    prefix.length < HEADER_PREFIX ? prefix : readAll(runDir, target, maxBytes))
                .header();
      }
    } else {
      onDisk = codec.read(target, readAll(runDir, target, maxBytes)).header();
    }
    if (!onDisk.sameVersionOf(base)) {
      throw new NoDbStaleWriteException(
          "stale write to "
              + target
              + ": the mutation started from version "
              + base.version()
              + describeLineage(base)
              + " but the file is at version "
              + onDisk.version()
              + describeLineage(onDisk)
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
    if (!now.get().equals(baseSignature)) {
      throw new NoDbStaleWriteException(
          "stale write to "
              + target
              + ": the file was replaced or modified since version "
              + base.version()
              + " was read (same version and lineage, different file)");
    }
  }

  private static String describeLineage(EnvelopeHeader h) {
    return h.lineage().isEmpty() ? "" : " of lineage " + h.lineage().substring(0, 8);
  }

  private static byte[] readAll(Path runDir, Path target, long maxBytes) throws IOException {
    return RunFiles.read(runDir, target, maxBytes);
  }

  /**
   * Writes the temp file: any leftover (a crashed writer's, or a planted link — removed, never
   * followed) is deleted first, then the file is created exclusively, owner-only, without following
   * links.
   */
  private static void writeAndForce(Path tmp, byte[] bytes) throws IOException {
    Files.deleteIfExists(tmp);
    Set<OpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    FileChannel ch;
    try {
      ch =
          Files.getFileAttributeView(tmp.getParent(), PosixFileAttributeView.class) == null
              ? FileChannel.open(tmp, options)
              : FileChannel.open(tmp, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      throw new NoDbUnsafePathException(
          tmp, "the temp file reappeared while being created (another process is racing the dump)");
    }
    try (ch) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
  }

  /**
   * Gives the temp file the mode of the file it replaces, or, for a new file, the mode of its
   * directory without execute bits (a {@code 0755} run gets {@code 0644} files).
   */
  private static void setMode(Path target, Path dir, Path tmp) throws IOException {
    if (Files.getFileAttributeView(tmp, PosixFileAttributeView.class) == null) {
      return;
    }
    Set<PosixFilePermission> mode;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      mode = Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS);
    } else {
      mode = EnumSet.noneOf(PosixFilePermission.class);
      for (PosixFilePermission p : Files.getPosixFilePermissions(dir)) {
        if (p != PosixFilePermission.OWNER_EXECUTE
            && p != PosixFilePermission.GROUP_EXECUTE
            && p != PosixFilePermission.OTHERS_EXECUTE) {
          mode.add(p);
        }
      }
    }
    Files.setPosixFilePermissions(tmp, mode);
  }

  private static void removeTemp(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      LOG.warn("[STORE] could not remove the temp file {} of a failed dump: {}", tmp, e.toString());
    }
  }

  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (FileSystemException notSupported) {
      // some file systems cannot open a directory for sync; the rename is still atomic
      LOG.debug("[STORE] cannot fsync directory {}: {}", dir, notSupported.toString());
    }
  }
}
