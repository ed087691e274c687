package io.nodb.tools;

import io.nodb.InvalidRunIdException;
import io.nodb.lock.LockBackendUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps exceptions escaping a command to the documented exit codes, printing one clear {@code nodb:}
 * line (two for an unavailable backend) to stderr and, under {@code --json}, one error document to
 * stdout ({@link JsonOutput#error}). Usage errors found while parsing never get here: {@link
 * UsageErrors} reports them. Used by one invocation at a time.
 */
final class ExitCodes implements IExecutionExceptionHandler {

  static final String UNAVAILABLE_HINT =
      "is Redis running? Without --redis and NODB_REDIS_URL nodb uses the local backend.";

  static final String CONFIGURATION_HINT =
      "check the user, password and database in --redis or NODB_REDIS_URL.";

  static final String DOMAIN_HINT =
      "the run's lock domain is recorded in <run>/.nodb-domain; 'nodb status <run>' shows it.";

  private final CliOptions root;

  /**
   * Creates the handler.
   *
   * @param root the global options, for {@code --json}
   */
  ExitCodes(CliOptions root) {
    this.root = root;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    int code;
    String hint = null;
    if (e instanceof CliException cli) {
      code = cli.exitCode();
    } else if (e instanceof LockBackendUnavailableException u) {
      code = ExitCode.UNAVAILABLE;
      hint = u.isConfigurationError() ? CONFIGURATION_HINT : UNAVAILABLE_HINT;
    } else if (e instanceof io.nodb.lock.LockDomainException) {
      code = ExitCode.UNAVAILABLE;
      hint = DOMAIN_HINT;
    } else if (e instanceof InvalidRunIdException) {
      code = ExitCode.NOT_FOUND;
    } else {
      code = ExitCode.FAILURE;
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    message.lines().forEach(l -> cmd.getErr().println("nodb: " + l));
    if (hint != null) {
      cmd.getErr().println("nodb: " + hint);
    }
    if (code == ExitCode.FAILURE && (!(e instanceof RuntimeException) || e.getMessage() == null)) {
      e.printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    if (root.json()) {
      JsonOutput.error(cmd.getOut(), code, message, hint);
    }
    return code;
  }
}
