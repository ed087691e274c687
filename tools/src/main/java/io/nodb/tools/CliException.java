package io.nodb.tools;

/**
 * A command's refusal or failure with a message for the operator and the exit code to end with.
 * {@link ExitCodes} prints the message to stderr, so commands throw it instead of printing and
 * returning. Immutable.
 */
final class CliException extends RuntimeException {

  private final int exitCode;

  /**
   * Creates the exception.
   *
   * @param exitCode one of the {@link ExitCode} codes
   * @param message what went wrong and, where it helps, what to do
   */
  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** Returns the exit code. */
  int exitCode() {
    return exitCode;
  }

  /** A run directory, run id or lock that does not exist or cannot be used: exit 4. */
  static CliException notFound(String message) {
    return new CliException(ExitCode.NOT_FOUND, message);
  }

  /** A usage error or a refused forced operation: exit 2. */
  static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }
}
