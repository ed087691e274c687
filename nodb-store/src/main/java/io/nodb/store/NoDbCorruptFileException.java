package io.nodb.store;

import io.nodb.NoDbException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a {@code .nodb} file cannot be used: empty, truncated, not JSON, not an envelope,
 * fields of the wrong type, written for another controller type, or written by a newer format than
 * this code understands. The message names the path and what is wrong. The file is never
 * overwritten by a later dump unless the caller explicitly repairs it.
 */
public class NoDbCorruptFileException extends NoDbException {

  private final transient Path path;
  private final String problem;

  /**
   * Creates the exception.
   *
   * @param path the file
   * @param problem what is wrong, in a few words
   * @param cause the parse error, or null
   */
  public NoDbCorruptFileException(Path path, String problem, @Nullable Throwable cause) {
    super("corrupt nodb file " + path + ": " + problem, cause);
    this.path = path;
    this.problem = problem;
  }

  /** Returns the corrupt file. */
  public Path path() {
    return path;
  }

  /** Returns what is wrong, without the path. */
  public String problem() {
    return problem;
  }
}
