package io.nodb.tools;

import io.nodb.InvalidRunIdException;
import io.nodb.lock.LockBackendUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps exceptions escaping a command to the documented exit codes, printing one clear line (two for
 * an unavailable backend) to stderr. Usage errors found while parsing never get here: picocli
 * reports them itself with exit code 2.
 */
final class ExitCodes implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    cmd.getErr().println("nodb: " + e.getMessage());
    if (e instanceof CliException cli) {
      return cli.exitCode();
    }
    if (e instanceof LockBackendUnavailableException u) {
      cmd.getErr()
          .println(
              u.isConfigurationError()
                  ? "nodb: check the user, password and database in --redis or NODB_REDIS_URL."
                  : "nodb: is Redis running? Without --redis and NODB_REDIS_URL nodb uses the local"
                      + " backend.");
      return ExitCode.UNAVAILABLE;
    }
    if (e instanceof InvalidRunIdException) {
      return ExitCode.NOT_FOUND;
    }
    if (!(e instanceof RuntimeException) || e.getMessage() == null) {
      e.printStackTrace(cmd.getErr());
    }
    return ExitCode.FAILURE;
  }
}
