package io.nodb.store;

import io.nodb.NoDbException;
import java.nio.file.Path;

/**
 * Thrown when the first format-1 dump of a legacy (format 0) file cannot keep the file's original
 * bytes because the backup's name ({@code <file>.format0-<hash>}) is taken by something else: a
 * directory, a symbolic link (wherever it points), a FIFO, socket or device, or a regular file with
 * other content. Nothing was written or changed: the legacy file is untouched, no backup or temp
 * file was created, and the dump did not happen. An operator must look at {@link #path()} (nodb
 * never removes or overwrites it). The message names the path and what is there. Immutable.
 */
public final class NoDbBackupConflictException extends NoDbException {

  private final transient Path path;
  private final transient Path file;

  /**
   * Creates the exception.
   *
   * @param file the legacy controller file being migrated
   * @param path the backup path that is taken
   * @param found what is there, e.g. {@code a directory}
   */
  public NoDbBackupConflictException(Path file, Path path, String found) {
    super(
        "cannot migrate legacy file "
            + file
            + ": the name for its original bytes, "
            + path
            + ", is taken by "
            + found
            + "; nothing was changed (move it away and retry)");
    this.path = path;
    this.file = file;
  }

  /** Returns the backup path that is taken. */
  public Path path() {
    return path;
  }

  /** Returns the legacy file that was not migrated. */
  public Path file() {
    return file;
  }
}
