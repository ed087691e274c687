package io.nodb.store.internal;

import io.nodb.store.NoDbCorruptFileException;
import io.nodb.store.NoDbUnsafePathException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * How the store touches files inside a run directory, so that nothing a user planted in the run (a
 * symbolic link, a FIFO, a device, a huge file) makes it read or write outside the run, block, or
 * run out of memory.
 *
 * <ul>
 *   <li><b>Reading</b> a controller file: only a regular file, at most the store's size limit, read
 *       with a bounded buffer. A controller file that is a symbolic link is read only if the link
 *       resolves to a file inside the run directory.
 *   <li><b>Writing</b>: every directory between the run directory and the file must be a real
 *       directory (no link), and the file, its temp file and its guard file must not be links.
 * </ul>
 *
 * <p>A path swapped for a FIFO between the check and the open could still block an open; only a
 * process racing the store with write access to the run can do that, and it could as well write the
 * file itself. Stateless and thread-safe.
 */
public final class RunFiles {

  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private RunFiles() {}

  /**
   * Reads a controller file for the store or the admin tool.
   *
   * @param runDir the run directory the file belongs to
   * @param file the file
   * @param maxBytes the size limit
   * @return the content
   * @throws NoSuchFileException if the file does not exist
   * @throws NoDbUnsafePathException if the file is a link that leads out of the run, or a link or
   *     special file stands between the run directory and it
   * @throws NoDbCorruptFileException if it is not a regular file or is larger than the limit
   * @throws IOException if it cannot be read
   */
  public static byte[] read(Path runDir, Path file, long maxBytes) throws IOException {
    Path source = readable(runDir, file);
    BasicFileAttributes a = Files.readAttributes(source, BasicFileAttributes.class, NOFOLLOW);
    requireRegular(file, a);
    requireSize(file, a.size(), maxBytes);
    try (SeekableByteChannel ch = open(file, source);
        InputStream in = Channels.newInputStream(ch)) {
      byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 16));
      requireSize(file, bytes.length, maxBytes);
      return bytes;
    }
  }

  /**
   * Reads the first bytes of a file (for the writer's header check), with the same checks as {@link
   * #read}.
   *
   * @param runDir the run directory
   * @param file the file
   * @param n how many bytes at most
   * @return up to {@code n} bytes
   * @throws IOException if it cannot be read
   */
  static byte[] readPrefix(Path runDir, Path file, int n) throws IOException {
    Path source = readable(runDir, file);
    requireRegular(file, Files.readAttributes(source, BasicFileAttributes.class, NOFOLLOW));
    try (SeekableByteChannel ch = open(file, source)) {
      ByteBuffer buf = ByteBuffer.allocate(n);
      while (buf.hasRemaining() && ch.read(buf) >= 0) {
        // read until full or end of file
      }
      return Arrays.copyOf(buf.array(), buf.position());
    }
  }

  /**
   * Returns the signature of a controller file as the store reads it: of the link's target for a
   * link inside the run, of the file otherwise.
   *
   * @param runDir the run directory
   * @param file the file
   * @return its signature, or empty if it does not exist
   * @throws NoDbUnsafePathException if the file is a link that leads out of the run
   * @throws IOException if it cannot be read
   */
  public static Optional<FileSignature> signature(Path runDir, Path file) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (a.isSymbolicLink()) {
      return FileSignature.of(readable(runDir, file));
    }
    return Optional.of(FileSignature.of(a));
  }

  /**
   * Checks that a file may be written or replaced: every directory from the run directory down to
   * the file's directory is a real directory, and the file, if it exists, is not a link.
   *
   * @param runDir the run directory
   * @param file the file
   * @throws NoDbUnsafePathException if not
   * @throws IOException if the checks cannot be made
   */
  public static void requireWritable(Path runDir, Path file) throws IOException {
    requireRealDirectories(runDir, file);
    requireNotLink(file);
  }

  /**
   * Refuses a path that is a symbolic link (dangling or not).
   *
   * @param path the path
   * @throws NoDbUnsafePathException if it is a link
   * @throws IOException if it cannot be checked
   */
  public static void requireNotLink(Path path) throws IOException {
    if (Files.isSymbolicLink(path)) {
      throw new NoDbUnsafePathException(
          path,
          "it is a symbolic link (to "
              + Files.readSymbolicLink(path)
              + "); nodb does not write, lock or create files through links");
    }
  }

  /** Checks the directories between {@code runDir} (exclusive) and {@code file} (exclusive). */
  private static void requireRealDirectories(Path runDir, Path file) throws IOException {
    Path relative = runDir.relativize(file.getParent() == null ? file : file.getParent());
    Path dir = runDir;
    for (Path part : relative) {
      if (part.toString().isEmpty()) {
        continue;
      }
      dir = dir.resolve(part);
      requireNotLink(dir);
      if (Files.exists(dir, NOFOLLOW) && !Files.isDirectory(dir, NOFOLLOW)) {
        throw new NoDbUnsafePathException(dir, "it is not a directory");
      }
    }
  }

  /** Returns the path to open for reading: the file itself, or its target when a link stays in. */
  private static Path readable(Path runDir, Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW);
    if (!a.isSymbolicLink() && runDir.equals(file.getParent())) {
      return file;
    }
    Path realRun = runDir.toRealPath();
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(
          file.toString(), null, "dangling symbolic link to " + linkTarget(file));
    }
    if (!real.startsWith(realRun)) {
      throw new NoDbUnsafePathException(
          file,
          "it leads out of the run directory "
              + realRun
              + " (to "
              + real
              + "); nodb reads only files inside the run");
    }
    return real;
  }

  private static String linkTarget(Path file) {
    try {
      return Files.readSymbolicLink(file).toString();
    } catch (IOException e) {
      return "?";
    }
  }

  private static void requireRegular(Path file, BasicFileAttributes a) {
    if (!a.isRegularFile()) {
      throw new RefusedFileException(
          file,
          RefusedFileException.Kind.NOT_REGULAR,
          "not a regular file (a "
              + (a.isDirectory() ? "directory" : "FIFO, socket or device")
              + "); nodb reads only regular files");
    }
  }

  private static void requireSize(Path file, long size, long maxBytes) {
    if (size > maxBytes) {
      throw new RefusedFileException(
          file,
          RefusedFileException.Kind.TOO_LARGE,
          "the file is "
              + size
              + " bytes, larger than the store's limit of "
              + maxBytes
              + " bytes (NoDbStoreBuilder.maxFileSize)");
    }
  }

  /**
   * A file {@link #read} refused before reading its content: not a regular file, or larger than the
   * limit. A {@link NoDbCorruptFileException} like any other unusable file, with the kind of
   * refusal for callers that tell them apart (the public {@code NoDbFiles.inspect}).
   */
  public static final class RefusedFileException extends NoDbCorruptFileException {

    /** Why the file was refused. */
    public enum Kind {
      /** A directory, FIFO, socket or device. */
      NOT_REGULAR,
      /** Larger than the size limit. */
      TOO_LARGE
    }

    private final Kind kind;

    RefusedFileException(Path file, Kind kind, String problem) {
      super(file, problem, null);
      this.kind = kind;
    }

    /** Returns why the file was refused. */
    public Kind kind() {
      return kind;
    }
  }

  /** Opens for reading without following a link at the last component. */
  private static SeekableByteChannel open(Path file, Path source) throws IOException {
    try {
      return Files.newByteChannel(
          source, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      throw e;
    } catch (FileSystemException e) {
      if (String.valueOf(e.getReason()).contains("symbolic link")) {
        throw new NoDbUnsafePathException(file, "it became a symbolic link while being opened");
      }
      throw e;
    }
  }
}
