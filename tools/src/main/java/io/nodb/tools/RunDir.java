package io.nodb.tools;

import io.nodb.InvalidRunIdException;
import io.nodb.lock.LockNamespace;
import io.nodb.store.RunIdentity;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run directory named on the command line: the directory (its real path: a link to a run is the
 * run), its run id and where its locks live, all by the store's one rule ({@link RunIdentity}): a
 * top-level run's id is its directory's name, and a nested run ({@code <run>/_pups/...}) is locked
 * under the run that holds it, with lock names prefixed by its path there. The local backend's runs
 * root is the parent of the run the id names, so its lock files are in {@code
 * <that-run>/.nodb-locks/}.
 *
 * <p>On Redis an argument that is not an existing path but the tag {@code kind:id} of a {@link
 * LockNamespace} that is not a run is a <em>lock namespace</em> ({@link #namespace()}): the
 * recipes' ({@code flight:<cache>}, {@code job:<ns>}, {@code shedlock:<ns>}) or a program's own
 * ({@code app:billing}); so is a valid run id without a run directory (a run that holds only
 * locks). On local files a namespace is the directory {@code <runs-root>/<tag>} the local locks
 * create, so it is named as a path (run the command from the runs root, or give {@code
 * <runs-root>/<tag>}). Immutable.
 *
 * @param dir the absolute, real directory (for a namespace: where it would be; it has no controller
 *     files)
 * @param runId its validated run id (for a nested run: the id of the run that holds it), or the
 *     {@link LockNamespace#tag() tag} {@code kind:id} of a namespace that is not a run
 * @param namespace whether this is a Redis lock namespace, not a run directory
 * @param identity the store's identity of the run (for a namespace: the namespace's own)
 */
record RunDir(Path dir, String runId, boolean namespace, RunIdentity identity) {

  /** A top-level run directory or namespace whose run id is its name (no links resolved). */
  private RunDir(Path dir, String runId, boolean namespace) {
    this(dir, runId, namespace, new RunIdentity(dir, dir, runId, ""));
  }

  /** A run directory, with the store's identity of it. */
  private RunDir(RunIdentity id) {
    this(id.dir(), id.runId(), false, id);
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
    if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        || arg.getNameCount() != 1
        || arg.isAbsolute()) {
      // an existing entry, even a link to nothing, is a path: never a namespace
      return of(arg);
    }
    String id = arg.toString();
    if (LockNamespace.ofTag(id).isEmpty()) {
      return of(arg);
    }
    if (redisUrl != null) {
      return new RunDir(dir, id, true);
    }
    throw CliException.notFound(
        "no such run directory: "
            + arg
            + "\n(on local files a lock namespace such as job:<ns> or flight:<cache> is the directory"
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
      throw CliException.notFound(
          (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                  ? "a link to nothing: "
                  : "no such run directory: ")
              + arg);
    }
    if (!Files.isDirectory(dir)) {
      throw CliException.notFound("not a directory: " + arg);
    }
    try {
      // a link to a run is the run: its id, files and locks are the target's
      dir = dir.toRealPath();
    } catch (java.io.IOException e) {
      throw CliException.notFound("cannot resolve " + arg + ": " + e);
    }
    Path name = dir.getFileName();
    if (name == null || dir.getParent() == null) {
      throw CliException.notFound("not a run directory (no name): " + arg);
    }
    java.util.Optional<LockNamespace> other =
        LockNamespace.ofTag(name.toString()).filter(ns -> !ns.isRun());
    if (other.isPresent()) {
      // <runs-root>/<kind:id>: the local lock files of a namespace that is not a run
      return new RunDir(dir, other.get().tag(), false);
    }
    try {
      return new RunDir(RunIdentity.of(dir));
    } catch (InvalidRunIdException e) {
      throw CliException.notFound(
          "run directory " + arg + " does not name a valid run: " + e.getMessage());
    }
  }

  /** Returns the lock namespace: the run's, or the namespace's this argument named. */
  LockNamespace lockNamespace() {
    return LockNamespace.parse(runId);
  }

  /**
   * Returns the directory that holds the run the id names (the local backend's runs root): the
   * run's parent, or for a nested run the parent of the run that holds it.
   */
  Path runsRoot() {
    return identity.lockRun().getParent();
  }

  /** Returns the directory the run id names, whose lock domain the run has. */
  Path lockRun() {
    return identity.lockRun();
  }

  /** Returns the lock name of one of the run's files. */
  String lockName(String file) {
    return identity.prefix() + file;
  }

  /** Returns the run's file a lock name of the run id names, if it is one of the run's own. */
  java.util.Optional<String> fileOf(String lockName) {
    return identity.fileOf(lockName);
  }

  /** Returns how reports name the run: its id, or {@code <run id>/<path>} for a nested run. */
  String label() {
    return identity.label();
  }
}
