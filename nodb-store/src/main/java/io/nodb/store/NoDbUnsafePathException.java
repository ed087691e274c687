package io.nodb.store;

import io.nodb.NoDbException;
import java.nio.file.Path;

/**
 * Thrown when nodb refuses a path inside a run directory because using it could read or write
 * outside the run: a symbolic link where nodb writes, locks or creates a file (temp, guard, lock
 * files, the controller file itself, a controller subdirectory), or a controller file whose link
 * leads out of the run. Nothing was read through the link and nothing was written. The message
 * names the path and, for a link, where it points.
 */
public final class NoDbUnsafePathException extends NoDbException {

  private final transient Path path;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param path the refused path
   * @param problem why it is refused, in a few words
   */
  public NoDbUnsafePathException(Path path, String problem) {
    super("refusing " + path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  /** Returns why the path is refused, without the path. */
  public String problem() {
    return problem;
  }

  /** Returns the refused path. */
  public Path path() {
    return path;
  }
}
