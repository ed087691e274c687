package io.nodb.tools;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code nodb} command line: the entry point of the launcher script {@code ./nodb}.
 *
 * <p>The global options {@code --redis URL} and {@code --json} are inherited by every subcommand,
 * so they may be given before or after the subcommand name. Exit codes ({@link ExitCode}): 0 ok, 1
 * failure or broken invariant, 2 usage (including a refused forced operation), 3 backend
 * unavailable, 4 not found or corrupt. Not thread-safe; one invocation per process.
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
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  NODB_REDIS_URL   Redis to use when --redis is not given.",
      "  NODB_JAVA_OPTS   Extra JVM options for the ./nodb launcher (e.g. -Xmx512m).",
      "  JAVA_HOME        The JDK the launcher runs (default: java on PATH).",
      "  NO_COLOR         Not empty: never colour (colour is only used on a terminal).",
      "See 'nodb help <command>' and docs/cli.md."
    },
    subcommands = {
      HelpCommand.class,
      StatusCommand.class,
      LocksCommand.class,
      UnlockCommand.class,
      ClearLocksCommand.class,
      AuditCommand.class,
      DomainCommand.class,
      DoctorCommand.class,
      InspectCommand.class,
      MigrateCommand.class,
      ScenarioCommand.class,
      DemoCommand.class
    })
public final class NodbCli implements CliOptions {

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

  @Option(
      names = "--wide",
      scope = ScopeType.INHERIT,
      description = "Print every column in full; by default tables fit 100 columns.")
  boolean wide;

  private Style style = Style.PLAIN;

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
    return commandLine(args).execute(args);
  }

  /** Builds the command line with its handlers, as {@link #run} executes it (tests reuse it). */
  static CommandLine commandLine(String... args) {
    NodbCli root = new NodbCli();
    root.style = Terminal.colour(System.getenv()) ? Style.ANSI : Style.PLAIN;
    CommandLine cmd = new CommandLine(root);
    cmd.setColorScheme(
        CommandLine.Help.defaultColorScheme(
            root.style.enabled() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
    return cmd.setParameterExceptionHandler(new UsageErrors(jsonRequested(args)))
        .setExecutionExceptionHandler(new ExitCodes(root));
  }

  /** Whether {@code --json} is among the options (before a {@code --} end of options). */
  private static boolean jsonRequested(String[] args) {
    int end = Arrays.asList(args).indexOf("--");
    return Arrays.asList(args).subList(0, end < 0 ? args.length : end).contains("--json");
  }

  @Override
  public String redisUrl() {
    String url = redisUrl != null ? redisUrl : System.getenv("NODB_REDIS_URL");
    return url == null || url.isBlank() ? null : url.trim();
  }

  @Override
  public boolean json() {
    return json;
  }

  @Override
  public int width() {
    return wide ? 0 : TablePrinter.DEFAULT_WIDTH;
  }

  @Override
  public Style style() {
    return style;
  }
}
