package io.nodb.store;

import io.nodb.InvalidRunIdException;
import io.nodb.lock.LockKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which locks a run directory's controller files take: the one rule, used by the store and by the
 * {@code nodb} CLI alike, so they always lock the same keys.
 *
 * <p>A run's lock keys are {@code (run id, file path)}. The run id comes from the directory's
 * <em>real</em> path (symbolic links resolved), so a link to a run and the run itself lock the same
 * keys. For a top-level run it is the directory's name and the file path is relative to the run. A
 * <b>nested run</b> (wepppy's child runs: any directory below a {@code _pups} directory, e.g.
 * {@code mica/_pups/omni/scenarios/burned}) is locked under the run that holds the first {@code
 * _pups} directory of its path ({@code mica}), with file paths relative to that run ({@code
 * _pups/omni/scenarios/burned/climate.nodb}): unique, because one file has one path in its
 * top-level run, and stable, because it depends on the path only. Two runs' {@code _pups/x}
 * therefore never share a lock, and neither locks like a top-level run named {@code x}. The local
 * backend keeps such a run's locks in the top-level run's {@code .nodb-locks}, inside the run tree,
 * and the run's lock domain ({@code .nodb-domain}) is the top-level run's.
 *
 * <p>Immutable and thread-safe.
 *
 * @param dir the run directory (absolute, normalized; its real path when it exists)
 * @param lockRun the directory the run id names: {@code dir} itself, or the top-level run of a
 *     nested run
 * @param runId the validated run id
 * @param prefix what lock names of the run's files start with: empty, or the nested run's path
 *     below {@code lockRun} with a trailing {@code /}
 */
public record RunIdentity(Path dir, Path lockRun, String runId, String prefix) {

  /** The name of the directory whose subdirectories are nested runs. */
  public static final String PUPS = "_pups";

  /**
   * Derives the identity of a run directory.
   *
   * @param runDir the run directory (need not exist yet)
   * @return its identity
   * @throws InvalidRunIdException if the run id, or a nested run's path as a lock-name prefix, is
   *     not valid
   */
  public static RunIdentity of(Path runDir) {
    Path dir = realPath(runDir.toAbsolutePath().normalize());
    int n = dir.getNameCount();
    for (int i = 1; i < n - 1; i++) {
      if (dir.getName(i).toString().equals(PUPS)) {
        Path top = dir.getRoot().resolve(dir.subpath(0, i));
        String runId = LockKey.requireValidRunId(top.getFileName().toString());
        StringBuilder prefix = new StringBuilder();
        for (int j = i; j < n; j++) {
          prefix.append(dir.getName(j)).append('/');
        }
        try {
          // the prefix must make valid lock names (segments of the name rules): checked here, once
          LockKey.of(runId, prefix + "x.nodb");
        } catch (InvalidRunIdException e) {
          throw new InvalidRunIdException(
              "nested run "
                  + dir
                  + " is locked under run "
                  + runId
                  + " with lock names "
                  + prefix
                  + "<file>, but that path is no valid lock name: every directory name must be"
                  + " of [A-Za-z0-9._-] without '..', and the whole at most 255 characters");
        }
        return new RunIdentity(dir, top, runId, prefix.toString());
      }
    }
    Path name = dir.getFileName();
    return new RunIdentity(
        dir, dir, LockKey.requireValidRunId(name == null ? "" : name.toString()), "");
  }

  /** Returns whether this is a nested run, locked under the run that holds it. */
  public boolean nested() {
    return !prefix.isEmpty();
  }

  /**
   * Returns the lock key of one of the run's controller files.
   *
   * @param fileName the file's path inside the run, with {@code /} separators
   * @return its key
   * @throws InvalidRunIdException if the resulting lock name is not valid
   */
  public LockKey key(String fileName) {
    return LockKey.of(runId, prefix + fileName);
  }

  /**
   * Returns the file, relative to the run, that a lock name of the run id names, if it is one of
   * this run's own: for a nested run only names under its prefix are, and names of the run's own
   * nested runs ({@code _pups/<dir>/...}) are not (a file directly in {@code _pups} is the run's).
   *
   * @param lockName a lock name of {@link #runId()}
   * @return the file's path inside the run, or empty when the lock is not this run's own
   */
  public Optional<String> fileOf(String lockName) {
    if (!lockName.startsWith(prefix)) {
      return Optional.empty();
    }
    String rest = lockName.substring(prefix.length());
    boolean nestedRuns = rest.startsWith(PUPS + "/") && rest.indexOf('/', PUPS.length() + 1) >= 0;
    return nestedRuns ? Optional.empty() : Optional.of(rest);
  }

  /**
   * Returns how the run is named in reports: its run id, or for a nested run the top-level run's id
   * and the path below it ({@code mica/_pups/omni/scenarios/burned}).
   */
  public String label() {
    return nested() ? runId + "/" + prefix.substring(0, prefix.length() - 1) : runId;
  }

  /**
   * The real path of a directory, or of its nearest existing ancestor with the rest appended (a run
   * that {@code create} is about to make).
   */
  private static Path realPath(Path dir) {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return dir;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(dir)).normalize();
    } catch (IOException e) {
      return dir; // vanished or unreadable meanwhile: the path as given
    }
  }
}
