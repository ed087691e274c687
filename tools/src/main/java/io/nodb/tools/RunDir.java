package io.nodb.tools;

import io.nodb.InvalidRunIdException;
import io.nodb.lock.LockKey;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run directory named on the command line: the directory and its run id (the directory's name).
 * The local backend's runs root is the directory's parent, so its lock files are in {@code
 * <run-dir>/.nodb-locks/}. Immutable.
 *
 * @param dir the absolute, normalized directory
 * @param runId its validated run id
 */
record RunDir(Path dir, String runId) {

  /**
   * Resolves and checks a run directory argument.
   *
   * @param arg the path as given
   * @return the run directory
   * @throws CliException (exit 4) if it does not exist, is not a directory, or its name is not a
   *     valid run id
   */
  static RunDir of(Path arg) {
    Path dir = arg.toAbsolutePath().normalize();
    if (!Files.exists(dir)) {
      throw CliException.notFound("no such run directory: " + arg);
    }
    if (!Files.isDirectory(dir)) {
      throw CliException.notFound("not a directory: " + arg);
    }
    Path name = dir.getFileName();
    if (name == null || dir.getParent() == null) {
      throw CliException.notFound("not a run directory (no name): " + arg);
    }
    try {
      return new RunDir(dir, LockKey.requireValidRunId(name.toString()));
    } catch (InvalidRunIdException e) {
      throw CliException.notFound(
          "run directory " + arg + " does not name a valid run: " + e.getMessage());
    }
  }

  /** Returns the directory that holds this run directory (the local backend's runs root). */
  Path runsRoot() {
    return dir.getParent();
  }
}
