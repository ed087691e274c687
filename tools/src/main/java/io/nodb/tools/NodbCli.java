package io.nodb.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code nodb} command line: the entry point of the launcher script {@code ./nodb}.
 *
 * <p>The global options {@code --redis URL} and {@code --json} are inherited by every subcommand,
 * so they may be given before or after the subcommand name. Exit codes: {@value #EXIT_OK} ok,
 * {@value #EXIT_FAILURE} failure or broken invariant, {@value #EXIT_USAGE} usage (including a
 * refused forced operation), {@value #EXIT_UNAVAILABLE} backend unavailable, {@value
 * #EXIT_NOT_FOUND} not found or corrupt. Not thread-safe; one invocation per process.
 */
@Command(
    name = "nodb",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = NodbVersion.class,
    description = "Inspect and administer nodb run-state locks.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:failure or broken invariant",
      "2:usage error, or a forced operation refused",
      "3:lock backend unavailable",
      "4:not found or corrupt (run directory, run id, controller files)"
    },
    subcommands = {
      StatusCommand.class,
      UnlockCommand.class,
      ClearLocksCommand.class,
      AuditCommand.class,
      DoctorCommand.class,
      InspectCommand.class,
      ScenarioCommand.class,
      DemoCommand.class
    })
public final class NodbCli {

  /** Exit code for success. */
  static final int EXIT_OK = 0;

  /** Exit code for a failure or a broken invariant. */
  static final int EXIT_FAILURE = 1;

  /** Exit code for a usage error or a refused forced operation (picocli's own usage code). */
  static final int EXIT_USAGE = 2;

  /** Exit code when the lock backend cannot be reached. */
  static final int EXIT_UNAVAILABLE = 3;

  /** Exit code when a run directory, run id or controller is not found or is corrupt. */
  static final int EXIT_NOT_FOUND = 4;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "Redis URL (default: $NODB_REDIS_URL; without one, the local backend).")
  String redisUrl;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print one JSON document to stdout instead of text.")
  boolean json;

  NodbCli() {}

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

  /** Returns the Redis URL from {@code --redis} or {@code NODB_REDIS_URL}, or null for local. */
  String redisUrl() {
    String url = redisUrl != null ? redisUrl : System.getenv("NODB_REDIS_URL");
    return url == null || url.isBlank() ? null : url.trim();
  }

  /** Returns whether {@code --json} was given. */
  boolean json() {
    return json;
  }
}
