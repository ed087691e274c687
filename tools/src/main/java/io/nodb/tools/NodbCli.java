package io.nodb.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nodb} command line: the entry point of the launcher script {@code ./nodb}.
 *
 * <p>Exit codes: 0 ok, 1 failure or broken invariant, 2 usage, 3 backend unavailable, 4 not found
 * or corrupt. Not thread-safe; one invocation per process.
 */
@Command(
    name = "nodb",
    mixinStandardHelpOptions = true,
    versionProvider = NodbVersion.class,
    description = "Run-state locks and store for model-run code.",
    subcommands = {DemoCommand.class})
public final class NodbCli {

  /** Exit code for a failure or a broken invariant. */
  static final int EXIT_FAILURE = 1;

  /** Exit code when the lock backend cannot be reached. */
  static final int EXIT_UNAVAILABLE = 3;

  private NodbCli() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args command-line arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line without exiting.
   *
   * @param args command-line arguments
   * @return the exit code
   */
  public static int run(String... args) {
    return new CommandLine(new NodbCli())
        .setExecutionExceptionHandler(new ExitCodes())
        .execute(args);
  }
}
