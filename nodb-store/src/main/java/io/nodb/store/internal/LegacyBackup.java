package io.nodb.store.internal;

import io.nodb.store.NoDbBackupConflictException;
import io.nodb.store.NoDbUnsafePathException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Keeps the original bytes of a legacy (format 0) file beside it before its first format-1 dump:
 * {@code <file>.format0-<first 12 hex digits of its SHA-256>}. The name depends only on the
 * content, so a retried migration finds its own backup; a backup is never overwritten (anything
 * else under that name, be it another file, a directory, a link or a FIFO, refuses the migration
 * with {@link NoDbBackupConflictException} before anything is written), never written through a
 * link, and is complete before it gets its name (temp file, fsync, rename without replacing, fsync
 * of the directory). It gets the original file's mode. Stateless and thread-safe; callers hold the
 * controller's lock.
 */
public final class LegacyBackup {

  /** The part of a backup's name between the file name and the hash. */
  public static final String SUFFIX = ".format0-";

  private LegacyBackup() {}

  /**
   * Returns the SHA-256 of some bytes, as 64 lowercase hex digits.
   *
   * @param bytes the bytes
   * @return the hash
   */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Returns the name the backup of {@code original} gets beside {@code file}.
   *
   * @param file the controller file
   * @param original its legacy content
   * @return the backup's file name (no directory)
   */
  public static String nameFor(Path file, byte[] original) {
    return file.getFileName() + SUFFIX + sha256(original).substring(0, 12);
  }

  /**
   * Makes sure the backup of {@code original} exists beside {@code file}.
   *
   * @param runDir the run directory
   * @param file the controller file
   * @param original its legacy content
   * @param maxBytes the store's size limit (for reading an existing backup)
   * @return the backup's file name
   * @throws NoDbBackupConflictException if the name is taken by a directory, a link, a special file
   *     or a file with other content (checked before anything is written)
   * @throws NoDbUnsafePathException if a directory on the way is a link
   * @throws IOException if it cannot be written
   */
  public static String keep(Path runDir, Path file, byte[] original, long maxBytes)
      throws IOException {
    String name = nameFor(file, original);
    Path backup = file.resolveSibling(name);
    RunFiles.requireWritable(runDir, file);
    if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(backup)) {
      requireSame(file, backup, original, maxBytes);
      return name;
    }
    Path tmp = file.resolveSibling("." + name + ".tmp");
    // a leftover (a crashed migration's, or a planted link: removed, never followed)
    Files.deleteIfExists(tmp);
    Set<OpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    boolean posix =
        Files.getFileAttributeView(tmp.getParent(), PosixFileAttributeView.class) != null;
    try {
      try (FileChannel ch =
          posix
              ? FileChannel.open(
                  tmp,
                  options,
                  PosixFilePermissions.asFileAttribute(
                      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)))
              : FileChannel.open(tmp, options)) {
        ByteBuffer buf = ByteBuffer.wrap(original);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      if (posix && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        Files.setPosixFilePermissions(
            tmp, Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
      }
      try {
        Files.move(tmp, backup);
      } catch (FileAlreadyExistsException raced) {
        requireSame(file, backup, original, maxBytes);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    try (FileChannel dir = FileChannel.open(backup.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (FileSystemException notSupported) {
      // the rename is durable enough where directories cannot be synced
    }
    return name;
  }

  /**
   * Accepts an existing backup only when it is a regular file (not a link) with exactly {@code
   * original}'s bytes: the backup of an earlier, interrupted attempt.
   */
  private static void requireSame(Path file, Path backup, byte[] original, long maxBytes)
      throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(backup, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isSymbolicLink()) {
      throw new NoDbBackupConflictException(
          file, backup, "a symbolic link (to " + Files.readSymbolicLink(backup) + ")");
    }
    if (a.isDirectory()) {
      throw new NoDbBackupConflictException(file, backup, "a directory");
    }
    if (!a.isRegularFile()) {
      throw new NoDbBackupConflictException(file, backup, "a FIFO, socket or device");
    }
    if (a.size() != original.length) {
      throw new NoDbBackupConflictException(
          file, backup, "a file of " + a.size() + " bytes with other content");
    }
    byte[] there = RunFiles.read(backup.getParent(), backup, maxBytes);
    if (!Arrays.equals(there, original)) {
      throw new NoDbBackupConflictException(
          file, backup, "a file with other content (an original is never overwritten)");
    }
  }
}
