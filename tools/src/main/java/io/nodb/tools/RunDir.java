package io.nodb.tools;

import io.nodb.InvalidRunIdException;
import io.nodb.lock.LockKey;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run directory named on the command line: the directory and its run id (the directory's name).
 * The local backend's runs root is the directory's parent, so its lock files are in {@code
 * <run-dir>/.nodb-locks/}.
 *
 * <p>On Redis an argument that is not an existing path but a valid run id is a <em>lock
 * namespace</em> ({@link #namespace()}): a run id the recipes lock under without a run directory
 * ({@code sf-<cache>}, {@code job-<ns>}, {@code shedlock-<ns>}). On local files a namespace is the
 * directory {@code <runs-root>/<ns>} the recipes' local locks create, so it is named as a path (run
 * the command from the runs root, or give {@code <runs-root>/<ns>}). Immutable.
 *
 * @param dir the absolute, normalized directory (for a namespace: where it would be; it has no
 *     controller files)
 * @param runId its validated run id
 * @param namespace whether this is a Redis lock namespace, not a run directory
 */
record RunDir(Path dir, String runId, boolean namespace) {

  /** A run directory (not a namespace). */
  RunDir(Path dir, String runId) {
    this(dir, runId, false);
  }

  /**
   * Resolves a run directory or, on Redis, a lock namespace.
   *
   * @param arg the argument as given
   * @param redisUrl the Redis URL, or null for the local backend
   * @return the run directory or namespace
   * @throws CliException (exit 4) as {@link #of}, with a hint about namespaces
   */
  static RunDir resolve(Path arg, String redisUrl) {
    Path dir = arg.toAbsolutePath().normalize();
    if (Files.exists(dir) || arg.getNameCount() != 1 || arg.isAbsolute()) {
      return of(arg);
    }
    String id = arg.toString();
    boolean valid;
    try {
      LockKey.requireValidRunId(id);
      valid = true;
    } catch (InvalidRunIdException e) {
      valid = false;
    }
    if (!valid) {
      return of(arg);
    }
    if (redisUrl != null) {
      return new RunDir(dir, id, true);
    }
    throw CliException.notFound(
        "no such run directory: "
            + arg
            + "\n(on local files a lock namespace such as job-<ns> or sf-<cache> is the directory"
            + " <runs-root>/"
            + id
            + ": run nodb from the runs root or give that path; with --redis or NODB_REDIS_URL"
            + " it is looked up in Redis)");
  }

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
