package io.nodb.tools;

/** The documented exit codes of the {@code nodb} command. */
final class ExitCode {

  /** Success. */
  static final int OK = 0;

  /** A failure or a broken invariant. */
  static final int FAILURE = 1;

  /** A usage error or a refused forced operation (picocli's own usage code). */
  static final int USAGE = 2;

  /** The lock backend cannot be reached. */
  static final int UNAVAILABLE = 3;

  /** A run directory, run id or controller is not found or is corrupt. */
  static final int NOT_FOUND = 4;

  private ExitCode() {}
}
