package io.nodb.lock.internal.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * File access inside a run's lock directory that never follows a symbolic link.
 *
 * <p>Files are opened with {@link LinkOption#NOFOLLOW_LINKS} ({@code O_NOFOLLOW} on Linux), so a
 * link planted at a lock file's path makes the open fail instead of reaching the link's target; the
 * failure is reported as a {@link SymlinkRefusedException} naming the path. New files are created
 * exclusively ({@code CREATE_NEW}, owner-only permissions where the file system is POSIX). The lock
 * directory itself is checked without following links before use. Directories are checked, then
 * used by path: a process that swaps a checked directory for a link between the check and the use
 * is outside what this defends against (planted links in unpacked user data).
 *
 * <p>Stateless and thread-safe.
 */
final class SafeFiles {

  /** State files are far smaller; anything larger is not one (and is not read into memory). */
  static final int MAX_STATE_BYTES = 1 << 20;

  /** The largest audit log read whole. */
  static final int MAX_AUDIT_BYTES = 256 << 20;

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private static final FileAttribute<?>[] OWNER_ONLY =
      POSIX
          ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
          }
          : new FileAttribute<?>[0];

  private SafeFiles() {}

  /**
   * Creates {@code dir} (its parent must exist) unless it exists, and checks it is a directory and
   * not a link.
   *
   * @param dir the directory
   * @throws SymlinkRefusedException if it is a symbolic link
   * @throws IOException if it cannot be created or is not a directory
   */
  static void ensureDirectory(Path dir) throws IOException {
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException present) {
      requireDirectory(dir);
    }
  }

  /**
   * Returns whether {@code dir} exists as a directory that is not a link.
   *
   * @param dir the directory
   * @return false if nothing or something other than a directory is there
   * @throws SymlinkRefusedException if it is a symbolic link
   * @throws IOException if it cannot be inspected
   */
  static boolean isDirectory(Path dir) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException absent) {
      return false;
    }
    if (a.isSymbolicLink()) {
      throw new SymlinkRefusedException(dir);
    }
    return a.isDirectory();
  }

  private static void requireDirectory(Path dir) throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isSymbolicLink()) {
      throw new SymlinkRefusedException(dir);
    }
    if (!a.isDirectory()) {
      throw new NotDirectoryException(dir.toString());
    }
  }

  /**
   * Reads a whole regular file without following a link.
   *
   * @param file the file
   * @param maxBytes the largest size accepted
   * @return its bytes
   * @throws NoSuchFileException if it does not exist
   * @throws SymlinkRefusedException if it is a symbolic link
   * @throws IOException if it is not a regular file (a FIFO would block), is larger than {@code
   *     maxBytes}, or cannot be read
   */
  static byte[] readAll(Path file, int maxBytes) throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (a.isSymbolicLink()) {
      throw new SymlinkRefusedException(file);
    }
    if (!a.isRegularFile()) {
      throw new IOException(file + " is not a regular file");
    }
    try (FileChannel in = open(file, StandardOpenOption.READ);
        InputStream stream = Channels.newInputStream(in)) {
      byte[] bytes = stream.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new IOException(file + " is larger than " + maxBytes + " bytes");
      }
      return bytes;
    }
  }

  /**
   * Creates a new file exclusively (owner-only where POSIX) and opens it for writing.
   *
   * @param file the file, which must not exist (not even as a link)
   * @return the channel
   * @throws IOException if it exists or cannot be created
   */
  static FileChannel createNew(Path file) throws IOException {
    try {
      return FileChannel.open(
          file,
          Set.of(
              StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
          OWNER_ONLY);
    } catch (IOException e) {
      throw refusedIfLink(file, e);
    }
  }

  /**
   * Gives a temp file, about to be renamed into place, the mode of its directory without execute
   * bits (a {@code 0775} lock directory gets {@code 0664} files), so the processes of every user
   * that may use the run's locks can keep reading them; created owner-only, it is never readable by
   * others while it is being written.
   *
   * @param temp the temp file
   * @throws IOException if the mode cannot be set
   */
  static void shareLikeDirectory(Path temp) throws IOException {
    if (!POSIX) {
      return;
    }
    Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p :
        Files.getPosixFilePermissions(temp.getParent(), LinkOption.NOFOLLOW_LINKS)) {
      if (p != PosixFilePermission.OWNER_EXECUTE
          && p != PosixFilePermission.GROUP_EXECUTE
          && p != PosixFilePermission.OTHERS_EXECUTE) {
        mode.add(p);
      }
    }
    Files.setPosixFilePermissions(temp, mode);
  }

  /**
   * Opens a guard file for writing, creating it (with the default mode, so that every user who may
   * lock the run can open it) if missing.
   *
   * @param file the guard file
   * @return the channel
   * @throws SymlinkRefusedException if it is a symbolic link
   * @throws IOException if it cannot be opened
   */
  static FileChannel openGuard(Path file) throws IOException {
    requireRegularIfPresent(file);
    try {
      // READ as well as WRITE: opening a FIFO read-write never blocks (a planted FIFO swapped in
      // after the check above must not hang every locker of the key)
      return FileChannel.open(
          file,
          Set.of(
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw refusedIfLink(file, e);
    }
  }

  /**
   * Refuses an existing file that is not a regular file (a FIFO would block an open, a device would
   * swallow or produce data) or that has other hard links (an append through one would write to a
   * file outside the run).
   */
  private static void requireRegularIfPresent(Path file) throws IOException {
    java.nio.file.attribute.BasicFileAttributes a;
    try {
      a =
          Files.readAttributes(
              file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException absent) {
      return;
    }
    if (a.isSymbolicLink()) {
      throw new SymlinkRefusedException(file);
    }
    if (!a.isRegularFile()) {
      throw new IOException(
          "refusing " + file + ": not a regular file (a FIFO, socket, device or directory)");
    }
    if (POSIX) {
      Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      if (links instanceof Integer n && n > 1) {
        throw new IOException(
            "refusing " + file + ": it has " + n + " hard links (one may lead out of the run)");
      }
    }
  }

  /**
   * Appends {@code bytes} with one write, creating the file (default mode) if missing.
   *
   * @param file the file
   * @param bytes the bytes
   * @param writes the writer (a seam for tests of a full disk)
   * @throws SymlinkRefusedException if it is a symbolic link
   * @throws IOException if it cannot be appended to
   */
  static void append(Path file, byte[] bytes, SpaceWrites writes) throws IOException {
    requireRegularIfPresent(file);
    try (FileChannel out =
        open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      writes.write(file, out, ByteBuffer.wrap(bytes));
    }
  }

  private static FileChannel open(Path file, StandardOpenOption... options) throws IOException {
    Set<OpenOption> all = new HashSet<>(Set.of(options));
    all.add(LinkOption.NOFOLLOW_LINKS);
    try {
      return FileChannel.open(file, all);
    } catch (IOException e) {
      throw refusedIfLink(file, e);
    }
  }

  /**
   * Returns the refusal if {@code file} is a link (the open failed with ELOOP, which Java reports
   * as a plain {@code IOException}), else {@code e}.
   */
  private static IOException refusedIfLink(Path file, IOException e) {
    if (Files.isSymbolicLink(file)) {
      SymlinkRefusedException refused = new SymlinkRefusedException(file);
      refused.initCause(e);
      return refused;
    }
    return e;
  }
}
