package io.nodb.tools;

import io.nodb.lock.LockBackendUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Maps exceptions escaping a command to the documented exit codes, printing one clear line. */
final class ExitCodes implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    cmd.getErr().println("nodb: " + e.getMessage());
    if (e instanceof LockBackendUnavailableException) {
      cmd.getErr()
          .println("nodb: is Redis running? Unset NODB_REDIS_URL to use the local backend.");
      return NodbCli.EXIT_UNAVAILABLE;
    }
    return NodbCli.EXIT_FAILURE;
  }
}
