package io.nodb.lock.internal.local;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A path inside a run's lock directory (or the lock directory itself) is a symbolic link, which the
 * local backend never follows: run directories hold user data, and a planted link must not make it
 * read, write, lock or chmod anything outside the run. The backend reports it as a {@code
 * LockBackendUnavailableException} with this message.
 */
final class SymlinkRefusedException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path path;

  SymlinkRefusedException(Path path) {
    super("refusing to follow symlink " + path);
    this.path = path;
  }

  /** Returns the link. */
  Path path() {
    return path;
  }
}
